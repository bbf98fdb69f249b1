import Foundation

/// The `?options=` of a subscription string: `{"query":{…},"headers":{…}}` (URL-encoded JSON the SDK appends).
/// Unreadable options are ignored, like PocketBase does; values become strings (`cast.ToString`) and header names
/// are snake-cased so `@request.headers.x_token` sees them.
struct SubscriptionOptions: Sendable {
    var query: [String: String] = [:]
    var headers: [String: String] = [:]

    init() {}

    init(subscription: String) {
        guard let q = subscription.firstIndex(of: "?") else { return }
        let rawQuery = subscription[subscription.index(after: q)...]
        // url.Values.Get: the first `options` pair; `+` is a space; pairs that do not decode are skipped.
        var encoded: String?
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) where !pair.contains(";") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = Self.unescape(String(parts[0])), key == "options" else { continue }
            guard let value = Self.unescape(parts.count > 1 ? String(parts[1]) : "") else { continue }
            encoded = value
            break
        }
        guard let encoded, let json = try? JSONValue.parseStrict(encoded), case .object(let o) = json else { return }
        for (k, v) in o["query"]?.objectValue ?? JSONObject() { query[k] = Self.castString(v) }
        for (k, v) in o["headers"]?.objectValue ?? JSONObject() { headers[RequestInfo.normalizeHeader(k)] = Self.castString(v) }
    }

    /// Equal for options that evaluate rules and filters the same way.
    var cacheKey: String {
        func object(_ d: [String: String]) -> JSONValue { .object(JSONObject(d.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })) }
        // JSON keeps keys and values unambiguous (a value may contain any separator).
        return JSONValue.array([object(query), object(headers)]).encoded()
    }

    static func unescape(_ s: String) -> String? {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// spf13/cast's ToString for JSON values (objects and arrays have no string form).
    static func castString(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): s
        case .number: v.encoded()
        case .bool(let b): b ? "true" : "false"
        default: ""
        }
    }
}
