import AsyncHTTPClient
import Foundation
import NIOCore
import PBJSON

/// Writes a fixture world into any PocketBase-compatible instance through its public API, as a superuser:
/// records with their fixed ids (so a second run finds them and skips: idempotent), `_externalAuths` links,
/// creates on `random_short` with the Turnstile test token. `created`/`updated` cannot be set through the API, so
/// they are the target's "now". Files (carol's avatar) are not uploaded.
public struct FixtureSeeder: Sendable {
    public struct Summary: Sendable, Equatable {
        public var created = 0
        public var existing = 0

        public init(created: Int = 0, existing: Int = 0) {
            self.created = created
            self.existing = existing
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public var baseURL: String
    public var email: String
    public var password: String
    /// Requests in flight at once.
    public var concurrency = 8

    public init(baseURL: String, email: String, password: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.email = email
        self.password = password
    }

    public func seed(_ world: FixtureWorld, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Summary {
        let (status, login) = try await send(
            "POST", "/api/collections/_superusers/auth-with-password", .obj(["identity": .string(email), "password": .string(password)]))
        guard status == 200, let token = login["token"]?.stringValue else {
            throw Failure(description: "superuser login at \(baseURL) failed (HTTP \(status))")
        }
        var summary = Summary()
        let links: [FixtureRecord] = world.spotifyLinks.map {
            FixtureRecord("_externalAuths", JSONObject([
                ("id", .string(FixtureWorld.externalAuthID($0.userID))), ("collectionRef", .string(FixtureWorld.usersCollectionID)),
                ("recordRef", .string($0.userID)),
                ("provider", "spotify"), ("providerId", .string($0.spotifyID)),
            ]))
        }
        // Dependency order: each collection completes before the next (links need users, clicks need links).
        let order = world.collectionOrder
        let total = world.recordCount + links.count
        var done = 0
        for collection in order + ["_externalAuths"] {
            let batch = collection == "_externalAuths" ? links : world.records(in: collection)
            for chunkStart in stride(from: 0, to: batch.count, by: concurrency) {
                let chunk = batch[chunkStart..<min(chunkStart + concurrency, batch.count)]
                let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for record in chunk { group.addTask { try await self.create(record, token: token) } }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                summary.created += outcomes.filter { $0 }.count
                summary.existing += outcomes.filter { !$0 }.count
                done += chunk.count
                progress?(done, total)
            }
        }
        return summary
    }

    /// True when created, false when a record with its id was already there.
    func create(_ record: FixtureRecord, token: String) async throws -> Bool {
        var body = record.values
        for key in ["created", "updated", "avatar"] { body[key] = nil }
        var headers = [("Authorization", token)]
        if record.collection == "random_short" { headers.append(("X-Turnstile-Token", "XXXX.DUMMY.TOKEN.XXXX")) }
        let (status, answer) = try await send("POST", "/api/collections/\(record.collection)/records", .object(body), headers: headers)
        if status == 200 { return true }
        // A unique violation (on id, slug, email…) from an earlier run: skip when the record with this id exists.
        if status == 400, answer["data"]?.objectValue?.contains(where: { $0.value["code"]?.stringValue == "validation_not_unique" }) == true,
            try await send("GET", "/api/collections/\(record.collection)/records/\(record.id)", nil, headers: [("Authorization", token)]).0 == 200
        {
            return false
        }
        throw Failure(description: "create \(record.collection) \(record.id): HTTP \(status) \(answer.encoded().prefix(300))")
    }

    func send(_ method: String, _ path: String, _ body: JSONValue?, headers: [(String, String)] = []) async throws -> (Int, JSONValue) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.encoded()))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), (try? JSONValue.parse(String(buffer: bytes))) ?? .null)
    }
}
