import Foundation

/// What `@request.*` sees: PocketBase's RequestInfo.
public struct RequestInfo: Sendable {
    public var context: String
    public var method: String
    public var query: [String: String]
    /// Snake-cased header names (`X-Turnstile-Token` → `x_turnstile_token`), first value.
    public var headers: [String: String]
    public var body: JSONObject
    public var auth: Record?

    public init(
        context: String = "default", method: String = "GET", query: [String: String] = [:], headers: [String: String] = [:],
        body: JSONObject = JSONObject(), auth: Record? = nil
    ) {
        self.context = context
        self.method = method
        self.query = query
        self.headers = headers
        self.body = body
        self.auth = auth
    }

    public var isSuperuser: Bool { auth?.collection.name == SystemCollection.superusers }

    /// PocketBase's header keys: Go's canonical header name through `inflector.Snakecase` — which, since
    /// canonical names have no inner capitals, is: split at runs of non-`[A-Za-z0-9]` (`_` included), join with `_`,
    /// lower-case (`X-Turnstile-Token`, `x-turnstile-token`, `X_Turnstile_Token` → `x_turnstile_token`).
    public static func normalizeHeader(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }).joined(separator: "_")
    }

    /// The static `@request` map the resolver reads.
    var staticMap: JSONValue {
        var authValue: JSONValue = .null
        if let auth {
            var o = auth.export(superuser: true, requesterID: auth.id)
            o["collectionId"] = .string(auth.collection.id)
            o["collectionName"] = .string(auth.collection.name)
            authValue = .object(o)
        }
        return .object(JSONObject([
            ("context", .string(context)), ("method", .string(method)),
            ("query", .object(JSONObject(query.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))),
            ("headers", .object(JSONObject(headers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))),
            ("body", .object(body)), ("auth", authValue),
        ]))
    }
}
