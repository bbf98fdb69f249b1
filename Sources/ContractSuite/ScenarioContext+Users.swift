import Foundation
import PBJSON

extension ScenarioContext {
    /// Creates a `users` record (deleted afterwards) and logs it in; returns (id, token).
    public func user(_ hint: String, extra: [String: JSONValue] = [:]) async throws -> (id: String, token: String) {
        let username = "\(hint)_\(runID)"
        var body = JSONObject([
            ("username", .string(username)), ("password", "password123"), ("passwordConfirm", "password123"),
            ("email", .string("\(hint).\(runID)@example.com")),
        ])
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) { body[k] = v }
        let created = try await create("users", .object(body))
        let r = try await send(
            "POST", "/api/collections/users/auth-with-password", json: .obj(["identity": .string(username), "password": "password123"]))
        try expectStatus(r, 200, "user login")
        return (created["id"]!.stringValue!, try r.json()["token"]?.stringValue ?? "")
    }

    /// `path?filter=<encoded>&…`
    public func list(_ collection: String, filter: String? = nil, query: String = "", token: String? = nil) async throws -> ContractResponse {
        var q = query
        if let filter { q += (q.isEmpty ? "" : "&") + "filter=" + Self.encode(filter) }
        return try await send("GET", "/api/collections/\(collection)/records" + (q.isEmpty ? "" : "?" + q), token: token)
    }

    /// encodeURIComponent, as the JS SDK does.
    public static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.!~*'()")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// Values of `key` in the items of a list response.
    public func column(_ r: ContractResponse, _ key: String) throws -> [String] {
        try expectStatus(r, 200, "list")
        return try r.json()["items"]?.arrayValue?.map { $0[key]?.stringValue ?? $0[key]?.encoded() ?? "" } ?? []
    }
}
