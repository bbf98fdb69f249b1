import Foundation
import class GRDB.Row
import Testing

@testable import DevServer
@testable import PocketBase

/// The hot queries use indexes: the redirect lookup and the owner / per-link lookups.
@Suite struct QueryPlanTests {
    func plan(_ storage: Storage, collection: String, filter: String, sort: String = "", auth: Record? = nil) async throws -> String {
        let c = try #require(storage.collection(collection))
        var q = RecordQuery(c, storage: storage, request: RequestInfo(auth: auth), allowHidden: false)
        try q.addFilter(filter)
        if !sort.isEmpty { try q.addSort(sort) }
        let s = q.select(limit: 1)
        return try await storage.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + s.sql, arguments: s.arguments).map { $0["detail"] as String }.joined(separator: "\n")
        }
    }

    @Test func redirectLookupUsesTheIdUrlIndex() async throws {
        let storage = try await TestData.freshStorage()
        let p = try await plan(storage, collection: "viewList", filter: "id_url = 'abcd'")
        #expect(p.contains("USING INDEX idx_IUTYfz6 (id_url=?)"), "\(p)")
        #expect(!p.contains("SCAN"), "\(p)")
    }

    @Test func ownerLookupsUseIndexes() async throws {
        let storage = try await TestData.freshStorage()
        let dashboard = try await plan(storage, collection: "viewList", filter: "user.id = 'u123456789abcde'", sort: "-created")
        #expect(dashboard.contains("USING INDEX idx_sptfydev_random_short_user (user=?)"), "\(dashboard)")
        let clicks = try await plan(storage, collection: "analytics", filter: "author = 'l123456789abcde'", sort: "-created")
        #expect(clicks.contains("USING INDEX idx_sptfydev_analytics_author (author=?)"), "\(clicks)")
        let users = try #require(storage.collection("users"))
        var me = Record(collection: users)
        me["id"] = "u123456789abcde"
        let rule = try #require(storage.collection("random_short")?.listRule)
        let owned = try await plan(storage, collection: "random_short", filter: rule, auth: me)
        #expect(owned.contains("USING INDEX idx_sptfydev_random_short_user (user=?)"), "\(owned)")
    }

    @Test func lookupIndexesStayOutOfTheSchema() async throws {
        let storage = try await TestData.freshStorage()
        #expect(storage.collection("random_short")?.indexes == ["CREATE UNIQUE INDEX `idx_IUTYfz6` ON `random_short` (`id_url`)"])
    }
}
