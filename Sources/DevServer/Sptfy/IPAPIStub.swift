import Foundation
import PocketBase
import Hummingbird
import NIOConcurrencyHelpers

/// An offline ip-api.com (`GET /json/{ip}?fields=…`): deterministic countries for public addresses, ip-api's
/// failure bodies for private/reserved/invalid ones, and a record of every lookup.
public final class IPAPIStub: Sendable {
    /// The in-process base path (`IP_API_URL` unset); the standalone stub serves at the root like ip-api.com.
    public static let inProcessPrefix = "/_ip-api"

    static let countries: [(code: String, name: String)] = [
        ("US", "United States"), ("ID", "Indonesia"), ("DE", "Germany"), ("BR", "Brazil"), ("GB", "United Kingdom"),
        ("JP", "Japan"), ("IN", "India"), ("FR", "France"), ("MX", "Mexico"), ("PH", "Philippines"), ("CA", "Canada"), ("AU", "Australia"),
    ]

    private let seen = NIOLockedValueBox<[String]>([])

    public init() {}

    /// IPs looked up so far, oldest first.
    public var lookups: [String] { seen.withLockedValue { $0 } }

    /// ip-api's answer for `ip`, limited to `fields` on success (failures always carry status/message/query).
    public func lookup(_ ip: String, fields: [String]? = nil) -> JSONValue {
        seen.withLockedValue { $0.append(ip) }
        if let reason = Self.failure(ip) {
            return .obj(["status": "fail", "message": .string(reason), "query": .string(ip)])
        }
        let country = Self.countries[Int(Self.fnv1a(ip) % UInt32(Self.countries.count))]
        let full = JSONObject([
            ("status", "success"), ("country", .string(country.name)), ("countryCode", .string(country.code)), ("query", .string(ip)),
        ])
        guard let fields, !fields.isEmpty else { return .object(full) }
        return .object(JSONObject(full.filter { fields.contains($0.key) }.map { ($0.key, $0.value) }))
    }

    static func failure(_ ip: String) -> String? {
        if ip.contains(":") {
            let lower = ip.lowercased()
            if lower == "::1" || lower.hasPrefix("fc") || lower.hasPrefix("fd") || lower.hasPrefix("fe80") { return "private range" }
            return lower.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) ? nil : "invalid query"
        }
        let parts = ip.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 4, parts.allSatisfy({ ($0 ?? -1) >= 0 && ($0 ?? 256) <= 255 }) else { return "invalid query" }
        let o = parts.map { $0! }
        if o[0] == 10 || o[0] == 127 || (o[0] == 172 && (16...31).contains(o[1])) || (o[0] == 192 && o[1] == 168) || (o[0] == 169 && o[1] == 254) {
            return "private range"
        }
        if o[0] == 0 || o[0] >= 224 || (o[0] == 100 && (64...127).contains(o[1])) || (o[0] == 192 && o[1] == 0 && o[2] == 2)
            || (o[0] == 198 && o[1] == 51 && o[2] == 100) || (o[0] == 203 && o[1] == 0 && o[2] == 113)
        {
            return "reserved range"
        }
        return nil
    }

    static func fnv1a(_ s: String) -> UInt32 {
        s.utf8.reduce(2_166_136_261 as UInt32) { ($0 ^ UInt32($1)) &* 16_777_619 }
    }

    /// `GET {prefix}/json/{ip}`.
    public func register<Context: RequestContext>(on router: Router<Context>, prefix: String = IPAPIStub.inProcessPrefix) {
        let base = prefix.hasPrefix("/") ? String(prefix.dropFirst()) : prefix
        router.get(base.isEmpty ? "json/:ip" : "\(base)/json/:ip") { request, context in
            let fields = request.uri.queryParams["fields"].map { $0.split(separator: ",").map(String.init) }
            return Response.json(self.lookup(context.parameters.get("ip") ?? "", fields: fields))
        }
    }
}
