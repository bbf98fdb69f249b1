import Foundation
import PocketBase
import GRDB

/// Measures filter parse + resolve against the query it produces (`scripts/bench-filter.sh`).
public enum FilterBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public var name: String
        public var buildMicros: Double
        public var queryMicros: Double
        public var description: String {
            name.padding(toLength: 36, withPad: " ", startingAt: 0)
                + String(format: "parse+resolve %8.2f µs   query %9.2f µs   (%.1f%% of query)", buildMicros, queryMicros, 100 * buildMicros / queryMicros)
        }
    }

    /// Seeds `links` links into a fresh data dir and times each typical filter `iterations` times.
    public static func run(links: Int, iterations: Int) async throws -> [Result] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (storage, _) = try await DevServer.prepare(DevServerConfiguration(dataDir: dir))
        let rs = storage.collection("random_short")!, users = storage.collection("users")!
        var owner = PocketBase.Record(collection: users)
        owner["id"] = "owner0000000001"
        try await storage.write { db in
            try db.execute(sql: "INSERT INTO users (id, username, tokenKey, password) VALUES ('owner0000000001', 'owner', 'k', 'x')")
            let now = PBDate.now()
            for i in 0..<links {
                try db.execute(
                    sql: "INSERT INTO random_short (id, \"from\", id_url, subdomain, user, utm_view, created, updated) VALUES (?,?,?,?,?,?,?,?)",
                    arguments: [
                        String(format: "l%014d", i), "https://open.spotify.com/track/\(i)", "slug\(i)", "track",
                        i % 10 == 0 ? "owner0000000001" : "", i % 50, now, now,
                    ])
            }
        }
        let cases: [(String, CollectionModel, String, String, PocketBase.Record?)] = [
            ("redirect lookup (viewList id_url)", storage.collection("viewList")!, "id_url = 'slug\(links / 2)'", "", nil),
            ("dashboard (viewList user.id)", storage.collection("viewList")!, "user.id = 'owner0000000001'", "-created", nil),
            ("owner list rule (random_short)", rs, rs.listRule ?? "", "-created", owner),
            ("top links (utm_view>0)", storage.collection("viewList")!, "(utm_view>0)", "-utm_view", nil),
        ]
        var results: [Result] = []
        for (name, c, filter, sort, auth) in cases {
            let request = RequestInfo(auth: auth)
            var lastSQL = SQLFragment("")
            let buildStart = ContinuousClock.now
            for _ in 0..<iterations {
                var q = RecordQuery(c, storage: storage, request: request, allowHidden: false)
                try q.addFilter(filter)
                if !sort.isEmpty { try q.addSort(sort) }
                lastSQL = q.select(limit: 30)
            }
            let build = ContinuousClock.now - buildStart
            let sql = lastSQL
            let queryStart = ContinuousClock.now
            for _ in 0..<iterations {
                _ = try await storage.read { db in try Storage.fetch(db, c, sql) }
            }
            let query = ContinuousClock.now - queryStart
            func micros(_ d: Duration) -> Double {
                (Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12) / Double(iterations)
            }
            results.append(Result(name: name, buildMicros: micros(build), queryMicros: micros(query)))
        }
        return results
    }
}
