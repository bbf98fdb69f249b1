import Fixtures
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// The exact result cache behind record lists and the admin stats: a read made after a write's response always
/// sees the write, whichever way the write came (API, batch, SQL, restore); repeated reads with nothing written
/// in between are served from the cache.
@Suite struct ResultCacheTests {
    static let topList =
        "/api/collections/viewList/records?sort=-utm_view&fields=id_url,utm_view&perPage=10&page=1&filter=(utm_view>0)"

    static func get(_ client: some TestClientProtocol, _ uri: String) async throws -> JSONValue {
        let r = try await client.execute(uri: uri, method: .get)
        #expect(r.status == .ok, "\(uri): \(String(buffer: r.body))")
        return try JSONValue.parse(Array(r.body.readableBytesView))
    }

    static func views(of id: String, in list: JSONValue, slug: String) -> Double? {
        list["items"]?.arrayValue?.first { $0["id_url"]?.stringValue == slug }?["utm_view"]?.numberValue
    }

    @Test(.timeLimit(.minutes(3))) func aListAfterAWriteShowsTheWrite() async throws {
        let storage = try await DataDirTemplate.shared.freshStorage(fixtures: FixtureOptions(seed: 11, scale: 0))
        let link = NamedFixtures.aliceTrack
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            var expected = Double(link.clicks)
            _ = try await Self.get(client, Self.topList)
            let before = storage.resultCache.statistics.hits
            let again = try await Self.get(client, Self.topList)
            #expect(storage.resultCache.statistics.hits == before + 1, "an unchanged list is served from the cache")
            #expect(Self.views(of: link.id, in: again, slug: link.slug) == expected)
            for _ in 0..<15 {
                let r = try await client.execute(
                    uri: "/api/collections/random_short/records/\(link.id)", method: .patch,
                    headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"utm_view+":1}"#))
                #expect(r.status == .ok)
                expected += 1
                #expect(Self.views(of: link.id, in: try await Self.get(client, Self.topList), slug: link.slug) == expected)
            }
            // A write in SQL, outside the API, is seen by the observer too.
            try await storage.write { db in try db.execute(sql: "UPDATE random_short SET utm_view = 999999 WHERE id = ?", arguments: [link.id]) }
            let top = try await Self.get(client, Self.topList)
            let first = top["items"]?.arrayValue?.first
            #expect(first?["id_url"] == .string(link.slug) && first?["utm_view"] == .number(999_999))
        }
    }

    /// The cached answer is keyed by everything it shows: the page (a huge page lists the first page's rows under
    /// its own number) and the fields picked (a failed pick stays PocketBase's empty 200). Asked twice: the second
    /// round comes from the cache.
    @Test(.timeLimit(.minutes(3))) func cachedAnswersFollowPageFieldsAndCaller() async throws {
        let storage = try await DataDirTemplate.shared.freshStorage(fixtures: FixtureOptions(seed: 16, scale: 0))
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let base = "/api/collections/viewList/records?sort=-created&perPage=2"
            for _ in 0..<2 {
                let first = try await Self.get(client, base + "&page=1")
                let huge = try await Self.get(client, base + "&page=9223372036854775807")
                #expect(first["page"] == .number(1) && huge["page"] == .number(9_223_372_036_854_775_807))
                #expect(first["items"] == huge["items"])
                let picked = try await Self.get(client, base + "&page=1&fields=id_url")
                #expect(picked["items"]?.arrayValue?.first?.objectValue?.keys == ["id_url"])
                let bad = try await client.execute(uri: base + "&page=1&fields=id_url:excerpt(x)", method: .get)
                #expect(bad.status == .ok && bad.body.readableBytes == 0, "a failed pick stays an empty 200")
            }
        }
    }

    @Test(.timeLimit(.minutes(3))) func clicksDoNotDropListsOfLinksButDoDropTheStats() async throws {
        let storage = try await DataDirTemplate.shared.freshStorage(fixtures: FixtureOptions(seed: 12, scale: 0))
        let link = NamedFixtures.aliceTrack
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            _ = try await Self.get(client, Self.topList)
            let stats = try await Self.get(client, "/api/admin/stats?days=30")
            let clicks = try #require(stats["summary"]?["clicksInRange"]?.numberValue)
            try await storage.write { db in
                try db.execute(
                    sql: "INSERT INTO analytics (id, author, utm_country, created, updated) VALUES ('cachetestclick1', ?, 'ID', ?, ?)",
                    arguments: [link.id, PBDate.now(), PBDate.now()])
            }
            let hits = storage.resultCache.statistics.hits
            _ = try await Self.get(client, Self.topList)
            #expect(storage.resultCache.statistics.hits == hits + 1, "viewList reads random_short only: a click leaves it cached")
            let after = try await Self.get(client, "/api/admin/stats?days=30")
            #expect(after["summary"]?["clicksInRange"]?.numberValue == clicks + 1)
        }
    }

    @Test(.timeLimit(.minutes(3))) func aRestoredSnapshotIsNeverAnsweredFromTheCache() async throws {
        let storage = try await DataDirTemplate.shared.freshStorage(fixtures: FixtureOptions(seed: 13, scale: 0))
        let link = NamedFixtures.aliceTrack
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            try await storage.saveSnapshot("cache-test")
            try await storage.write { db in try db.execute(sql: "UPDATE random_short SET utm_view = 777777 WHERE id = ?", arguments: [link.id]) }
            #expect(Self.views(of: link.id, in: try await Self.get(client, Self.topList), slug: link.slug) == 777_777)
            try await storage.restoreSnapshot("cache-test")
            #expect(Self.views(of: link.id, in: try await Self.get(client, Self.topList), slug: link.slug) == Double(link.clicks))
        }
    }

    @Test(.timeLimit(.minutes(3))) func aRolledBackBatchKeepsTheCacheAndACommittedOneDropsIt() async throws {
        let storage = try await DataDirTemplate.shared.freshStorage(fixtures: FixtureOptions(seed: 14, scale: 0))
        let link = NamedFixtures.aliceTrack
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await StateTests.superuser(client)
            try await BatchTests.enableBatch(client, su)
            _ = try await Self.get(client, Self.topList)
            let failing = try await BatchTests.batch(client, su, [
                BatchTests.increment, .obj(["method": "PATCH", "url": "/api/collections/random_short/records/missing", "body": .obj([:])]),
            ])
            #expect(failing.status == .badRequest)
            #expect(Self.views(of: link.id, in: try await Self.get(client, Self.topList), slug: link.slug) == Double(link.clicks))
            let ok = try await BatchTests.batch(client, su, [BatchTests.increment, BatchTests.increment])
            #expect(ok.status == .ok)
            #expect(Self.views(of: link.id, in: try await Self.get(client, Self.topList), slug: link.slug) == Double(link.clicks + 2))
        }
    }

    /// Readers hammer one cached list while a writer increments: each read the writer makes after its write
    /// returned sees that write, and nobody ever sees a count going backwards.
    @Test(.timeLimit(.minutes(3))) func concurrentReadersNeverSeeAnOlderResultAfterAWrite() async throws {
        let storage = try await DataDirTemplate.shared.freshStorage(fixtures: FixtureOptions(seed: 15, scale: 0))
        let link = NamedFixtures.aliceTrack
        let c = try #require(storage.collection("viewList"))
        var query = RecordQuery(c, storage: storage, request: nil, allowHidden: true)
        try query.addFilter("id = '\(link.id)'")
        let select = query.select(limit: 1)
        let read: @Sendable () async throws -> Double = {
            let records = try await storage.cachedRead(key: "test\u{0}" + select.cacheKey, sql: [select.sql]) { db in
                try Storage.fetch(db, c, select)
            }
            return records.first?["utm_view"].numberValue ?? -1
        }
        let start = try await read()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var last = start
                    for _ in 0..<300 {
                        let v = try await read()
                        if v < last { return false }
                        last = v
                    }
                    return true
                }
            }
            group.addTask {
                for i in 1...60 {
                    try await storage.write { db in
                        try db.execute(sql: "UPDATE random_short SET utm_view = utm_view + 1 WHERE id = ?", arguments: [link.id])
                    }
                    if try await read() != start + Double(i) { return false }
                }
                return true
            }
            for try await ok in group { #expect(ok) }
        }
        #expect(storage.resultCache.statistics.hits > 0)
    }

    @Test func aViewIsReadThroughItsTables() async throws {
        let storage = try await TestData.freshStorage()
        let tables = try await storage.read { db in try Storage.tablesRead(db, sql: ["SELECT viewList.* FROM viewList ORDER BY created DESC"]) }
        #expect(tables == ["random_short"])
    }

    @Test(arguments: [
        ("SELECT id, created FROM random_short", false), ("SELECT id FROM random_short WHERE created > datetime('now', '-1 day')", true),
        ("SELECT id, RANDOM() AS r FROM t", true), ("SELECT id FROM t WHERE created > CURRENT_TIMESTAMP", true),
        ("SELECT id, date (created) AS d FROM t", false), ("SELECT id FROM t WHERE d > date ( )", true), ("SELECT id FROM t WHERE d > 'now'", true),
        ("SELECT current_date AS d FROM t", true), ("SELECT id FROM random_short JOIN randomness", false),
    ])
    func volatileViewQueries(query: String, volatile: Bool) {
        #expect(RecordQuery.isVolatile(viewQuery: query) == volatile)
    }

    @Test func entriesStayWithinTheBudget() {
        let cache = ResultCache(maxEntries: 8, maxCost: 100)
        for i in 0..<50 { cache.store("k\(i)", value: i, tables: ["t"], stamp: cache.stamp, cost: 5) }
        #expect(cache.statistics.entries <= 8)
        #expect(cache.lookup("k49", as: Int.self) == 49)
        cache.store("big", value: 1, tables: ["t"], stamp: cache.stamp, cost: 11)
        #expect(cache.lookup("big", as: Int.self) == nil, "one entry may not take more than a tenth of the budget")
        let stale = cache.stamp
        cache.tablesChanged(["t"])
        cache.store("late", value: 1, tables: ["t"], stamp: stale, cost: 1)
        #expect(cache.lookup("late", as: Int.self) == nil, "a value read before a commit is not kept after it")
        #expect(cache.lookup("k49", as: Int.self) == nil)
    }
}
