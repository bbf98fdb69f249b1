import AsyncHTTPClient
import Foundation
import NIOCore
import PBJSON

/// Writes a fixture world into any PocketBase-compatible instance through its public API, as a superuser:
/// records with their fixed ids (so a second run finds them and skips: idempotent), `_externalAuths` links,
/// creates on `random_short` with the Turnstile test token. `created`/`updated` cannot be set through the API, so
/// they are the target's "now". Files (carol's avatar) are not uploaded. When the target's settings enable
/// PocketBase's batch API, records go `maxRequests` (≤ 100) at a time in one transaction each; a batch refused as
/// a whole (some of its records exist already) is sent again without them, then record by record.
public struct FixtureSeeder: Sendable {
    public struct Summary: Sendable, Equatable {
        public var created = 0
        public var existing = 0
        /// Batch requests that went through (0: the target's batch API is off, or `batch` is `.never`).
        public var batches = 0

        public init(created: Int = 0, existing: Int = 0, batches: Int = 0) {
            self.created = created
            self.existing = existing
            self.batches = batches
        }
    }

    /// Whether to write through `/api/batch`.
    public enum BatchMode: String, Sendable, CaseIterable {
        /// When the target's `batch` settings allow it.
        case auto
        /// Fail when they do not.
        case always
        /// Plain requests only.
        case never
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public var baseURL: String
    public var email: String
    public var password: String
    /// Requests in flight at once.
    public var concurrency = 8
    public var batch = BatchMode.auto

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
        let batchSize = try await batchLimit(token: token)
        for collection in order + ["_externalAuths"] {
            let records = collection == "_externalAuths" ? links : world.records(in: collection)
            for chunkStart in stride(from: 0, to: records.count, by: batchSize ?? concurrency) {
                let chunk = Array(records[chunkStart..<min(chunkStart + (batchSize ?? concurrency), records.count)])
                var rest = chunk
                if batchSize != nil {
                    if try await createBatch(rest, token: token) {
                        (summary.created, summary.batches, rest) = (summary.created + rest.count, summary.batches + 1, [])
                    } else {
                        // Refused as a whole: leave out what is there already (an earlier run) and try the rest once more.
                        let existing = try await existingIDs(rest, collection: collection, token: token)
                        summary.existing += existing.count
                        rest = rest.filter { !existing.contains($0.id) }
                        if !rest.isEmpty, try await createBatch(rest, token: token) {
                            (summary.created, summary.batches, rest) = (summary.created + rest.count, summary.batches + 1, [])
                        }
                    }
                }
                // Plain requests, `concurrency` at a time.
                for part in stride(from: 0, to: rest.count, by: concurrency) {
                    let slice = rest[part..<min(part + concurrency, rest.count)]
                    let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                        for record in slice { group.addTask { try await self.create(record, token: token) } }
                        return try await group.reduce(into: [Bool]()) { $0.append($1) }
                    }
                    summary.created += outcomes.filter { $0 }.count
                    summary.existing += outcomes.filter { !$0 }.count
                }
                done += chunk.count
                progress?(done, total)
            }
        }
        return summary
    }

    /// Records per batch when the target's settings enable `/api/batch` (nil: plain requests).
    func batchLimit(token: String) async throws -> Int? {
        guard batch != .never else { return nil }
        let (status, settings) = try await send("GET", "/api/settings", nil, headers: [("Authorization", token)])
        let max = Int(settings["batch"]?["maxRequests"]?.numberValue ?? 0)
        guard status == 200, settings["batch"]?["enabled"] == .bool(true), max > 0 else {
            if batch == .always { throw Failure(description: "the batch API of \(baseURL) is not enabled (settings batch.enabled)") }
            return nil
        }
        return Swift.min(max, 100)
    }

    /// One transaction for the chunk: true when every record was created, false when it was refused as a whole.
    func createBatch(_ chunk: [FixtureRecord], token: String) async throws -> Bool {
        let requests: [JSONValue] = chunk.map { record in
            var item = JSONObject([
                ("method", "POST"), ("url", .string("/api/collections/\(record.collection)/records")), ("body", .object(Self.body(record))),
            ])
            if record.collection == "random_short" { item["headers"] = .obj(["X-Turnstile-Token": .string(Self.turnstileToken)]) }
            return .object(item)
        }
        let (status, answer) = try await send("POST", "/api/batch", .obj(["requests": .array(requests)]), headers: [("Authorization", token)])
        switch status {
        case 200: return true
        case 400, 403: return false  // e.g. records from an earlier run; or the API was switched off meanwhile
        default: throw Failure(description: "batch of \(chunk.count) \(chunk.first?.collection ?? ""): HTTP \(status) \(answer.encoded().prefix(300))")
        }
    }

    static let turnstileToken = "XXXX.DUMMY.TOKEN.XXXX"

    /// Which of `records` exist in `collection` (one list request: at most 100 ids, within the filter limits).
    func existingIDs(_ records: [FixtureRecord], collection: String, token: String) async throws -> Set<String> {
        let filter = "(" + records.map { "id='\($0.id)'" }.joined(separator: "||") + ")"
        var components = URLComponents()
        components.queryItems = [
            URLQueryItem(name: "filter", value: filter), URLQueryItem(name: "fields", value: "id"),
            URLQueryItem(name: "perPage", value: String(records.count)), URLQueryItem(name: "skipTotal", value: "1"),
        ]
        let query = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") ?? ""
        let (status, list) = try await send("GET", "/api/collections/\(collection)/records?\(query)", nil, headers: [("Authorization", token)])
        guard status == 200 else { throw Failure(description: "listing \(collection) at \(baseURL): HTTP \(status) \(list.encoded().prefix(300))") }
        return Set((list["items"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
    }

    static func body(_ record: FixtureRecord) -> JSONObject {
        var body = record.values
        for key in ["created", "updated", "avatar"] { body[key] = nil }
        return body
    }

    /// True when created, false when a record with its id was already there.
    func create(_ record: FixtureRecord, token: String) async throws -> Bool {
        var headers = [("Authorization", token)]
        if record.collection == "random_short" { headers.append(("X-Turnstile-Token", Self.turnstileToken)) }
        let (status, answer) = try await send("POST", "/api/collections/\(record.collection)/records", .object(Self.body(record)), headers: headers)
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
