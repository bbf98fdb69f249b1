import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// Record lookups use prepared statements that GRDB keeps per connection, with their column names. GRDB clears
/// them after DDL it runs; a rolled-back collection change and a snapshot restore (SQLite's backup API) are ours to
/// clear, or the writer connection would read rows with a stale column list (a dropped column: an index past the row).
@Suite struct PreparedStatementTests {
    static func lookup(_ storage: Storage, _ name: String, _ id: String) async throws -> [String] {
        let c = try #require(storage.collection(name))
        // On the writer connection: the one GRDB does not clear by itself.
        return try await storage.write { db in try Storage.findRecord(db, c, id: id) }.map { Array($0.values.keys).sorted() } ?? []
    }

    @Test(.timeLimit(.minutes(3))) func lookupsFollowColumnChangesOnTheWriter() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await StateTests.superuser(client)
            func send(_ method: HTTPRequest.Method, _ uri: String, _ body: JSONValue) async throws -> JSONValue {
                let r = try await client.execute(
                    uri: uri, method: method, headers: [.authorization: su, .contentType: "application/json"], body: ByteBuffer(string: body.encoded()))
                #expect(r.status == .ok, "\(uri): \(String(buffer: r.body))")
                return try JSONValue.parse(Array(r.body.readableBytesView))
            }
            let fields: [JSONValue] = [.obj(["name": "a", "type": "text"]), .obj(["name": "b", "type": "text"]), .obj(["name": "c", "type": "number"])]
            let created = try await send(.post, "/api/collections", .obj(["name": "prep", "type": "base", "fields": .array(fields)]))
            let record = try await send(.post, "/api/collections/prep/records", .obj(["a": "x", "b": "y", "c": 1]))
            let id = try #require(record["id"]?.stringValue)
            #expect(try await Self.lookup(storage, "prep", id) == ["a", "b", "c", "id"])
            // Drop `a` and `b`, keep the ids of the rest (PocketBase's fields list replaces by id).
            let kept = (created["fields"]?.arrayValue ?? []).filter { $0["name"] != "a" && $0["name"] != "b" }
            _ = try await send(.patch, "/api/collections/prep", .obj(["fields": .array(kept + [.obj(["name": "d", "type": "bool"])])]))
            #expect(try await Self.lookup(storage, "prep", id) == ["c", "d", "id"])
            // A collection change that fails after its DDL and a lookup is rolled back: the old columns again.
            struct Abort: Error {}
            let c = try #require(storage.collection("prep"))
            var changed = c
            changed.fields.removeAll { $0.name == "c" }
            let smaller = changed
            let inside = try? await storage.write { db -> [String] in
                try Storage.saveCollection(db, smaller, old: c)
                let keys = try Storage.findRecord(db, smaller, id: id).map { Array($0.values.keys).sorted() } ?? []
                #expect(keys == ["d", "id"])
                throw Abort()
            }
            #expect(inside == nil)
            #expect(try await Self.lookup(storage, "prep", id) == ["c", "d", "id"])
            // A snapshot from before the collection existed, then one with it back.
            try await storage.saveSnapshot("with-prep")
            _ = try await client.execute(uri: "/api/collections/prep", method: .delete, headers: [.authorization: su])
            try await storage.restoreSnapshot("with-prep")
            #expect(try await Self.lookup(storage, "prep", id) == ["c", "d", "id"])
        }
    }
}
