import Crypto
import Foundation
import Hummingbird
import PocketBase

/// The data model of sptfy.in's "Database Setup" guide (`serve --profile guide`, docs/guide-profile.md): blocks
/// enforced on link creation and clicks, Turnstile on link creation, analytics IPs hashed (salted SHA-256) and
/// geolocated before storage, clicks recorded through `POST /api/sptfy/click/{id_url}` (analytics create is
/// superusers-only), production's update guard on random_short. `scripts/reference-pb_hooks-guide/` is the same
/// logic for a real PocketBase; the guide contract scenarios hold the two to the same answers.
public struct GuideApp: AppLayer {
    /// The Turnstile/ip-api wiring shared with production's hooks.
    public var options: SptfyOptions
    /// `IP_HASH_SALT`.
    public var ipHashSalt: String

    /// Used when `IP_HASH_SALT` is unset or empty: fixed so dev hashes are reproducible; its name says what it is.
    public static let defaultIPHashSalt = "sptfy-dev-insecure-ip-salt"

    public init(_ options: SptfyOptions = SptfyOptions(), ipHashSalt: String = GuideApp.defaultIPHashSalt) {
        self.options = options
        self.ipHashSalt = ipHashSalt.isEmpty ? Self.defaultIPHashSalt : ipHashSalt
    }

    /// The salt from the environment (unset or empty → the default).
    public static func salt(_ env: [String: String]) -> String {
        env["IP_HASH_SALT"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultIPHashSalt
    }

    var sptfy: SptfyApp { SptfyApp(options) }

    public func bind(_ hooks: inout Hooks) {
        // Link creation: blocks first (403, before any token is spent), then production's Turnstile gate.
        hooks.onRecordCreateRequest.bind(tags: ["random_short"]) { e, next in
            try await blockGate(e.storage, auth: e.context.auth, isSuperuser: e.isSuperuser, ip: e.realIP)
            return try await next(e)
        }
        sptfy.bindTurnstileGate(&hooks)
        // random_short keeps production's "" update rule, so it keeps its guard — only there: the guide lets users
        // rename themselves, which production's collection-wide guard forbids.
        sptfy.bindUpdateProtection(&hooks, tags: ["random_short"])
        bindAnalyticsHashing(&hooks)
    }

    public func registerRoutes(on router: Router<AppRequestContext>, storage: Storage) {
        router.post("api/sptfy/click/:id_url") { request, context in
            try await recordClick(request, context: context, storage: storage)
        }
        options.turnstile.register(on: router, includeLog: false)
        options.ipAPI.register(on: router)
    }

    /// Lower-case hex SHA-256 of salt + ip (`printf '%s' "$SALT$IP" | sha256sum`).
    public func hashIP(_ ip: String) -> String {
        SHA256.hash(data: Data((ipHashSalt + ip).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// ip-api's countryCode for `ip` when it is two capital letters, else "" (never fails; at most a second).
    func countryCode(_ ip: String) async -> String {
        let code = (try? JSONValue.parse(await sptfy.geolocate(ip)))?["countryCode"]?.stringValue ?? ""
        return code.count == 2 && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) } ? code : ""
    }
}
