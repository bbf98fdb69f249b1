import Foundation
import PocketBase
import Hummingbird
import Logging
import TurnstileStub

/// sptfy.in's `pb_hooks`, natively: the Turnstile gate, update protection, the analytics geolocation probe,
/// Spotify id capture, `/api/admin/stats` and `/hello/{name}` — plus the offline services they call.
public struct SptfyApp: AppLayer {
    public var options: SptfyOptions

    public init(_ options: SptfyOptions = SptfyOptions()) {
        self.options = options
    }

    public func bind(_ hooks: inout Hooks) {
        bindTurnstileGate(&hooks)
        bindUpdateProtection(&hooks)
        bindAnalyticsGeolocation(&hooks)
        bindSpotifyIDCapture(&hooks)
    }

    public func registerRoutes(on router: Router<AppRequestContext>, storage: Storage) {
        AdminStats(storage: storage).register(on: router)
        router.get("hello/:name") { _, context in
            let name = context.parameters.get("name") ?? ""
            options.logger.info("hello \(name)")
            return Response.json(.obj(["message": .string("Hello " + name)]))
        }
        // The in-process stubs the hooks default to (the frontend can load the widget from here too).
        options.turnstile.register(on: router, includeLog: false)
        options.ipAPI.register(on: router)
    }
}

/// Where the hooks' outside calls go, and the secret they send (the env variables of sptfy.in's hooks plus the
/// two URLs a dev setup needs to redirect).
public struct SptfyOptions: Sendable {
    /// `CF_SECRET_KEY`; nil → the key is left out of the siteverify body, as in production when unset.
    public var cfSecretKey: String?
    /// `TURNSTILE_VERIFY_URL`; nil → the in-process stub (no network).
    public var turnstileVerifyURL: String?
    /// `IP_API_URL` (base, `…/json/{ip}` is appended); nil → the in-process stub.
    public var ipAPIURL: String?
    public var turnstile: TurnstileStub
    public var ipAPI: IPAPIStub
    public var logger: Logger

    /// Defaults for a dev server: the always-pass test secret and both stubs in-process.
    public init(
        cfSecretKey: String? = TurnstileTestKeys.passSecret, turnstileVerifyURL: String? = nil, ipAPIURL: String? = nil,
        turnstile: TurnstileStub = TurnstileStub(), ipAPI: IPAPIStub = IPAPIStub(), logger: Logger = SptfyOptions.quietLogger
    ) {
        self.cfSecretKey = cfSecretKey
        self.turnstileVerifyURL = turnstileVerifyURL
        self.ipAPIURL = ipAPIURL
        self.turnstile = turnstile
        self.ipAPI = ipAPI
        self.logger = logger
    }

    /// Hook log lines (like production's `console.log`) only show when a caller passes its own logger.
    public static var quietLogger: Logger {
        var l = Logger(label: "sptfy-dev.hooks")
        l.logLevel = .warning
        return l
    }

    /// Reads `CF_SECRET_KEY` (unset → the always-pass test secret; set but empty → no secret, like production),
    /// `TURNSTILE_VERIFY_URL`, `IP_API_URL`, and `TURNSTILE_STRICT=1` for the stub's strict mode. The verification
    /// log goes to `<dataDir>/.sptfy-dev/turnstile.jsonl`.
    public static func fromEnvironment(_ env: [String: String], dataDir: URL?, logger: Logger) -> SptfyOptions {
        let secret = env["CF_SECRET_KEY"].map { $0.isEmpty ? nil : $0 } ?? TurnstileTestKeys.passSecret
        let strict = ["1", "true", "yes"].contains(env["TURNSTILE_STRICT"]?.lowercased() ?? "")
        let log = dataDir?.appendingPathComponent(".sptfy-dev").appendingPathComponent("turnstile.jsonl")
        return SptfyOptions(
            cfSecretKey: secret, turnstileVerifyURL: env["TURNSTILE_VERIFY_URL"].flatMap { $0.isEmpty ? nil : $0 },
            ipAPIURL: env["IP_API_URL"].flatMap { $0.isEmpty ? nil : $0 }, turnstile: TurnstileStub(.init(strict: strict, logFile: log)),
            logger: logger)
    }
}
