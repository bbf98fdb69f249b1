import Fixtures
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// The cold-start template: the second empty data dir made with the same inputs is a copy of the first with its
/// own secrets, superuser id and times, and works like one built the slow way.
@Suite struct StartTemplateTests {
    static func temp(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-template-test-\(name)-\(UUID().uuidString)")
    }

    static func config(_ dir: URL, cache: URL?, fixtures: FixtureOptions? = FixtureOptions(seed: 21, scale: 0)) -> DevServerConfiguration {
        var c = DevServerConfiguration(dataDir: dir.appendingPathComponent("pb_data"), fixtures: fixtures)
        c.templateCache = cache
        return c
    }

    struct Facts: Equatable {
        var superuser: String
        var tokenKey: String
        var secrets: [String]
        var collections: [String]
        var counts: [Int]
        var created: String
    }

    static func facts(_ storage: Storage) async throws -> Facts {
        try await storage.read { db in
            let su = try Row.fetchOne(db, sql: "SELECT id, tokenKey FROM _superusers")
            let secrets = try String.fetchAll(
                db, sql: "SELECT json_extract(options, '$.authToken.secret') || json_extract(options, '$.fileToken.secret') FROM _collections WHERE type = 'auth' ORDER BY name")
            let collections = try String.fetchAll(db, sql: "SELECT name || ':' || fields FROM _collections ORDER BY name")
            let counts = try ["users", "random_short", "analytics"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1 }
            return Facts(
                superuser: su?["id"] ?? "", tokenKey: su?["tokenKey"] ?? "", secrets: secrets, collections: collections, counts: counts,
                created: try String.fetchOne(db, sql: "SELECT MIN(created) FROM _collections") ?? "")
        }
    }

    @Test(.timeLimit(.minutes(3))) func theSecondEmptyDirIsAUniqueCopyThatWorks() async throws {
        let cache = Self.temp("cache"), a = Self.temp("a"), b = Self.temp("b")
        defer { for d in [cache, a, b] { try? FileManager.default.removeItem(at: d) } }
        let (first, freshA) = try await DevServer.prepare(Self.config(a, cache: cache))
        let templates = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("templates").path)
        #expect(freshA && templates.sorted().map { $0.hasSuffix(".aux.db") } == [true, false], "data.db and auxiliary.db: \(templates)")
        let factsA = try await Self.facts(first)

        try await Task.sleep(for: .milliseconds(20))  // a later creation time than the template's
        let (second, freshB) = try await DevServer.prepare(Self.config(b, cache: cache))
        #expect(freshB, "a templated dir is still reported as fresh")
        let factsB = try await Self.facts(second)
        #expect(FileManager.default.fileExists(atPath: b.appendingPathComponent("pb_data/auxiliary.db").path))
        #expect(try await second.logs.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM _logs") } == 0)
        #expect(factsB.collections == factsA.collections && factsB.counts == factsA.counts)
        #expect(factsB.superuser != factsA.superuser && factsB.tokenKey != factsA.tokenKey)
        #expect(factsB.secrets.count == 2 && zip(factsB.secrets, factsA.secrets).allSatisfy { $0 != $1 })
        #expect(factsB.created > factsA.created)

        // The copy works: the superuser logs in with the configured password, and a reset returns to this
        // dir's own start (its secrets, not the template's).
        try await DevServer.buildApplication(storage: second).test(.router) { client in
            let token = try await StateTests.superuser(client)
            #expect(!token.isEmpty)
            let r = try await client.execute(uri: "/api/collections/_superusers/records", method: .get, headers: [.authorization: token])
            #expect(r.status == .ok)
        }
        try await second.write { db in try db.execute(sql: "DELETE FROM random_short") }
        try await second.restoreSnapshot(Storage.initialSnapshot)
        #expect(try await Self.facts(second) == factsB)
    }

    @Test func noCacheNoTemplateAndMigrationsBuildTheSlowWay() throws {
        let dir = Self.temp("plain")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(StartTemplate(Self.config(dir, cache: nil)) == nil)
        var withMigrations = Self.config(dir, cache: Self.temp("cache2"))
        let migrations = dir.appendingPathComponent("pb_migrations")
        try FileManager.default.createDirectory(at: migrations, withIntermediateDirectories: true)
        withMigrations.migrationsDir = migrations
        #expect(StartTemplate(withMigrations) != nil, "an empty migrations folder changes nothing")
        try Data("migrate(() => {})".utf8).write(to: migrations.appendingPathComponent("1_x.js"))
        #expect(StartTemplate(withMigrations) == nil)
        #expect(StartTemplate.cacheDirectory(["SPTFY_DEV_TEMPLATE_CACHE": "off"]) == nil)
        #expect(StartTemplate.cacheDirectory(["XDG_CACHE_HOME": "/x"])?.path == "/x/sptfy-dev")
    }

    @Test func inputsMakeTheKey() throws {
        let dir = Self.temp("key"), cache = Self.temp("cache3")
        let base = try #require(StartTemplate(Self.config(dir, cache: cache)))
        var other = Self.config(dir, cache: cache)
        other.superuserPassword = "another-password"
        #expect(try #require(StartTemplate(other)).key != base.key)
        #expect(try #require(StartTemplate(Self.config(dir, cache: cache, fixtures: nil))).key != base.key)
        #expect(try #require(StartTemplate(Self.config(Self.temp("elsewhere"), cache: cache))).key == base.key, "the data dir is not an input")
    }
}
