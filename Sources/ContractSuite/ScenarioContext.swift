import Foundation
import PBJSON

/// What a scenario works with: the target's client, a run id for isolation, and cleanups that always run.
public final class ScenarioContext: @unchecked Sendable {
    public let target: ContractTarget
    /// Unique per scenario run; every created slug/username contains it so runs never collide.
    public let runID: String
    private let lock = NSLock()
    private var cleanups: [@Sendable () async -> Void] = []
    private var token: String?

    init(target: ContractTarget) {
        self.target = target
        self.runID = String((0..<8).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    }

    /// Registers work to run after the scenario, pass or fail (last registered runs first).
    public func cleanup(_ work: @escaping @Sendable () async -> Void) {
        lock.withLock { cleanups.append(work) }
    }

    func runCleanups() async {
        let work = lock.withLock { cleanups.reversed() }
        for w in work { await w() }
    }

    // MARK: requests

    /// The token every Turnstile test sitekey produces; the targets' secret (the always-pass test secret) accepts it.
    public static let turnstileToken = "XXXX.DUMMY.TOKEN.XXXX"

    /// Sends a request. Creates on `random_short` carry `X-Turnstile-Token` like the frontend's (sptfy.in's gate
    /// rejects them otherwise) unless `turnstile` is nil or the headers already name a Turnstile header.
    @discardableResult
    public func send(
        _ method: String, _ path: String, json: JSONValue? = nil, token: String? = nil, headers: [(String, String)] = [],
        rawBody: [UInt8]? = nil, turnstile: String? = ScenarioContext.turnstileToken
    ) async throws -> ContractResponse {
        var h = headers
        if let turnstile, method == "POST", path.hasPrefix("/api/collections/random_short/records"),
            !h.contains(where: { $0.0.lowercased().replacingOccurrences(of: "_", with: "-") == "x-turnstile-token" })
        {
            h.append(("X-Turnstile-Token", turnstile))
        }
        var body = rawBody
        if let json {
            body = Array(json.encoded().utf8)
            if !h.contains(where: { $0.0.lowercased() == "content-type" }) { h.append(("Content-Type", "application/json")) }
        }
        if let token { h.append(("Authorization", token)) }
        return try await target.client.send(ContractRequest(method, path, headers: h, body: body))
    }

    /// A superuser token for the target (logged in once per scenario).
    public func superuser() async throws -> String {
        if let t = lock.withLock({ token }) { return t }
        let r = try await send(
            "POST", "/api/collections/_superusers/auth-with-password",
            json: .obj(["identity": .string(target.superuserEmail), "password": .string(target.superuserPassword)]))
        try expectStatus(r, 200, "superuser login")
        guard let t = try r.json()["token"]?.stringValue else { throw ContractFailure("superuser login returned no token") }
        lock.withLock { token = t }
        return t
    }

    /// Creates a record as superuser and deletes it afterwards.
    @discardableResult
    public func create(_ collection: String, _ body: JSONValue, token: String? = nil) async throws -> JSONObject {
        let su = try await superuser()
        let r = try await send("POST", "/api/collections/\(collection)/records", json: body, token: token ?? su)
        try expectStatus(r, 200, "create \(collection): \(r.text)")
        guard let o = try r.json().objectValue, let id = o["id"]?.stringValue else { throw ContractFailure("create returned no id") }
        cleanup { [self] in _ = try? await send("DELETE", "/api/collections/\(collection)/records/\(id)", token: su) }
        return o
    }

    /// A slug that is valid for `random_short.id_url` and unique to this run.
    public func slug(_ hint: String = "s") -> String { "\(hint)-\(runID)" }

    /// A valid link body.
    public func link(_ hint: String = "l", extra: [String: JSONValue] = [:]) -> JSONValue {
        var o = JSONObject([("from", .string("https://open.spotify.com/track/\(runID)")), ("id_url", .string(slug(hint)))])
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) { o[k] = v }
        return .object(o)
    }
}

// MARK: expectations

public func expect(_ condition: Bool, _ message: @autoclosure () -> String, fileID: String = #fileID, line: Int = #line) throws {
    if !condition { throw ContractFailure(message(), fileID: fileID, line: line) }
}

public func expectStatus(_ r: ContractResponse, _ status: Int, _ what: String = "", fileID: String = #fileID, line: Int = #line) throws {
    if r.status != status {
        throw ContractFailure(
            "\(what.isEmpty ? "" : what + ": ")expected status \(status), got \(r.status): \(r.text.prefix(400))", fileID: fileID, line: line)
    }
}

/// Exact error envelope: status, message and `data` (compared as JSON).
public func expectError(
    _ r: ContractResponse, _ status: Int, _ message: String, data: JSONValue = .object(JSONObject()), fileID: String = #fileID, line: Int = #line
) throws {
    try expectStatus(r, status, fileID: fileID, line: line)
    let j = try r.json()
    try expect(j["message"]?.stringValue == message, "expected message \(message), got \(j["message"]?.encoded() ?? "nil")", fileID: fileID, line: line)
    try expect(j["status"]?.numberValue == Double(status), "status key mismatch: \(r.text)", fileID: fileID, line: line)
    try expect(
        sortedKeys(j["data"] ?? .null) == sortedKeys(data), "data mismatch:\n  expected \(data.encoded())\n  got      \(j["data"]?.encoded() ?? "nil")",
        fileID: fileID, line: line)
    try expect(j.objectValue?.keys == ["data", "message", "status"], "envelope key order: \(r.text)", fileID: fileID, line: line)
}

/// Go-style trailing newline, HTML escaping and JSON content type.
public func expectPocketBaseJSON(_ r: ContractResponse, fileID: String = #fileID, line: Int = #line) throws {
    try expect(r.header("Content-Type") == "application/json", "content type: \(r.header("Content-Type") ?? "nil")", fileID: fileID, line: line)
    try expect(
        r.text.hasSuffix("}\n") || r.text.hasSuffix("]\n"), "body must end with a newline: \(r.text.suffix(20).debugDescription)", fileID: fileID,
        line: line)
}

func sortedKeys(_ v: JSONValue) -> JSONValue {
    switch v {
    case .object(let o): .object(JSONObject(o.pairs.sorted { $0.key < $1.key }.map { ($0.key, sortedKeys($0.value)) }))
    case .array(let a): .array(a.map(sortedKeys))
    default: v
    }
}

public func fieldError(_ code: String, _ message: String, params: [String: JSONValue]? = nil) -> JSONValue {
    var o = JSONObject([("code", .string(code)), ("message", .string(message))])
    if let params { o["params"] = .object(JSONObject(params.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })) }
    return .object(o)
}

public let blank = fieldError("validation_required", "Cannot be blank.")
public let notUnique = fieldError("validation_not_unique", "Value must be unique.")
