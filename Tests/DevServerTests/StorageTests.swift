import Foundation
import HTTPTypes
import GRDB
import HummingbirdTesting
import Testing

@testable import DevServer
@testable import PocketBase

@Suite struct StorageTests {
    @Test func freshDataDirHasPocketBaseLayout() async throws {
        let storage = try await TestData.freshStorage()
        let (tables, columns, migrations, journal): ([String], String, [String], String) = try await storage.read { db in
            (
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table','view') ORDER BY name"),
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'random_short'") ?? "",
                try String.fetchAll(db, sql: "SELECT file FROM _migrations ORDER BY file"),
                try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
            )
        }
        for t in ["_authOrigins", "_collections", "_externalAuths", "_mfas", "_migrations", "_otps", "_params", "_superusers", "analytics", "blocks", "random_short", "random_short_dev", "testCollection", "users", "viewList"] {
            #expect(tables.contains(t), "missing \(t)")
        }
        #expect(columns.contains("`utm_view` NUMERIC DEFAULT 0 NOT NULL"))
        #expect(columns.contains("`enable` BOOLEAN DEFAULT FALSE NOT NULL"))
        #expect(columns.contains("`id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL"))
        #expect(migrations.contains("1717233559_v0.23_migrate4.go") && migrations.count == 6)
        #expect(journal == "wal")
        #expect(storage.collection("RANDOM_SHORT")?.id == "ocypvwxnoapmygg")
        #expect(storage.collection("_superusers")?.tokenSecret("authToken").count == 50)
    }

    @Test func uniqueErrorsFollowPocketBaseSubstringQuirk() async throws {
        let storage = try await TestData.freshStorage()
        let c = try #require(storage.collection("random_short"))
        let error = DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "UNIQUE constraint failed: random_short.id_url")
        let mapped = Storage.uniqueErrors(error, collection: c)
        #expect(Set(mapped?.keys ?? [:].keys) == ["id", "id_url"])
    }

    /// Concurrent `utm_view+` requests must all count (real PocketBase loses most of them).
    @Test func concurrentIncrementsLoseNothing() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let create = try await client.execute(
                uri: "/api/collections/random_short/records", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("X-Turnstile-Token")!: "XXXX.DUMMY.TOKEN.XXXX"],
                body: .init(string: #"{"from":"https://open.spotify.com/x","id_url":"counter"}"#))
            #expect(create.status == .ok)
            let id = try JSONValue.parse(Array(create.body.readableBytesView))["id"]?.stringValue ?? ""
            let n = 60
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<n {
                    group.addTask {
                        let r = try await client.execute(
                            uri: "/api/collections/random_short/records/\(id)", method: .patch, headers: [.contentType: "application/json"],
                            body: .init(string: #"{"utm_view+":1}"#))
                        #expect(r.status == .ok)
                    }
                }
                try await group.waitForAll()
            }
            let views = try await storage.read { db in
                try Int.fetchOne(db, sql: "SELECT utm_view FROM random_short WHERE id = ?", arguments: [id])
            }
            #expect(views == n)
        }
    }

    @Test func failedSaveWritesNothing() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let bad = try await client.execute(
                uri: "/api/collections/analytics/records", method: .post, headers: [.contentType: "application/json"],
                body: .init(string: #"{"author":"nonexistent12345","utm_userAgent":"ua","utm_country":"DE"}"#))
            #expect(bad.status == .badRequest)
            let count = try await storage.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM analytics") }
            #expect(count == 0)
        }
    }

    @Test func importIsAllOrNothing() async throws {
        let storage = try await TestData.freshStorage()
        let before = storage.collections.map(\.name)
        let bad: [JSONValue] = [
            .obj(["name": "good_one", "type": "base", "fields": [.obj(["name": "a", "type": "text"])]]),
            .obj(["name": "bad_one", "type": "base", "fields": [.obj(["name": "a", "type": "nope"])]]),
        ]
        await #expect(throws: (any Error).self) { try await storage.importCollections(bad, deleteMissing: false) }
        #expect(storage.collections.map(\.name) == before)
        let good: [JSONValue] = [.obj(["name": "notes", "type": "base", "fields": [.obj(["name": "title", "type": "text"])]])]
        try await storage.importCollections(good, deleteMissing: false)
        let notes = try #require(storage.collection("notes"))
        #expect(notes.id == Identifiers.collectionID(type: "base", name: "notes"))
        #expect(notes.fields.map(\.name) == ["id", "title"])
        #expect(notes.field("title")?.id == "text724990059")
    }
}
