import Foundation
import GRDB
import HummingbirdTesting
import Testing

@testable import DevServer
@testable import PocketBase

/// `/api/admin/stats`: production's parsing, range and bucket rules, and — against the real PocketBase running
/// the team's reference hooks — the same answer on the same (backdated) data.
@Suite(.serialized) struct AdminStatsTests {
    static let day: TimeInterval = 86_400

    @Test(arguments: [
        ("0", 0), ("7", 7), ("30", 30), ("90", 90), ("", 30), ("3", 30), ("abc", 30), ("7days", 7), (" 90", 90), ("+7", 7), ("-7", 30), ("07", 7),
    ])
    func rangeDaysParseLikeJavaScript(param: String, expected: Int) {
        #expect(AdminStats.rangeDays(param) == expected)
    }

    @Test func emptyTablesFailAllTimeButFillRanges() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let all = try await client.execute(uri: "/api/admin/stats?days=0", method: .get)
            #expect(String(buffer: all.body) == #"{"data":{},"message":"Something went wrong while processing your request.","status":400}"# + "\n")
            let week = try JSONValue.parse(Array(try await client.execute(uri: "/api/admin/stats?days=7", method: .get).body.readableBytesView))
            #expect(week["series"]?["linksByDay"]?.arrayValue?.map { $0["count"] } == Array(repeating: .number(0), count: 7))
            #expect(week["summary"]?["avgClicksPerLink"] == .number(0))
        }
    }

    /// Links created `ages` days ago (one per age), backdated in SQL as the API cannot set `created`.
    static func backdatedLinks(_ storage: Storage, ages: [Double], now: Date) async throws -> [String] {
        var ids: [String] = []
        for (i, age) in ages.enumerated() {
            let r = try await storage.createRecordAsSuperuser(
                "random_short", values: .init([("from", .string("https://open.spotify.com/t/\(i)")), ("id_url", .string("aged-\(i)"))]))
            try await backdate(storage, "random_short", r.id, now.addingTimeInterval(-age * day))
            ids.append(r.id)
        }
        return ids
    }

    static func backdate(_ storage: Storage, _ table: String, _ id: String, _ date: Date, set extra: String = "", _ args: [String] = [])
        async throws
    {
        try await storage.write { db in
            try db.execute(sql: "UPDATE \(table) SET created = ?\(extra) WHERE id = ?", arguments: StatementArguments([PBDate.format(date)] + args + [id]))
        }
    }

    @Test(arguments: [([5.0, 0], "day", 10), ([89, 1], "day", 10), ([120, 3], "week", 8), ([364, 0], "week", 8), ([400, 10], "month", 7)])
    func allTimeBucketsFollowTheSpan(ages: [Double], aggregation: String, keyLength: Int) async throws {
        let storage = try await TestData.freshStorage()
        let now = Date()
        _ = try await Self.backdatedLinks(storage, ages: ages, now: now)
        let stats = try await storage.read { db in try AdminStats.compute(db, rangeDays: 0, now: now) }
        #expect(stats["aggregation"] == .string(aggregation))
        let dates = stats["series"]?["linksByDay"]?.arrayValue?.compactMap { $0["date"]?.stringValue } ?? []
        #expect(dates.count == 2 && dates.allSatisfy { $0.count == keyLength } && dates == dates.sorted(), "\(dates)")
        #expect(stats["series"]?["clicksByDay"] == .array([]), "all-time series are not gap-filled")
    }

    @Test func rangedSeriesCountOnlyTheRange() async throws {
        let storage = try await TestData.freshStorage()
        let now = Date()
        _ = try await Self.backdatedLinks(storage, ages: [0, 0, 2, 6, 7, 40], now: now)
        let stats = try await storage.read { db in try AdminStats.compute(db, rangeDays: 7, now: now) }
        let counts = stats["series"]?["linksByDay"]?.arrayValue?.map { Int($0["count"]?.numberValue ?? -1) }
        #expect(counts == [1, 0, 0, 0, 1, 0, 2])
        #expect(stats["summary"]?["linksCreatedInRange"] == .number(4) && stats["summary"]?["totalLinks"] == .number(6))
    }

    /// Same data dir, both servers: ours computes, then real PocketBase with the reference hooks answers.
    @Test(.enabled(if: RealPocketBase.binary != nil)) func matchesTheReferenceHooksOnTheSameData() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stats-\(UUID().uuidString)")
        let (storage, _) = try await DevServer.prepare(DevServerConfiguration(dataDir: dir))
        let now = Date()
        let owners = [
            try await storage.createRecordAsSuperuser("users", values: .init([("password", "password123"), ("passwordConfirm", "password123")])).id,
            try await storage.createRecordAsSuperuser("users", values: .init([("password", "password123"), ("passwordConfirm", "password123")])).id,
        ]
        // 6 links over 400 days: owners 3/2/guest 1, distinct counters, every subdomain shape (incl. blank and spaces).
        let links = try await Self.backdatedLinks(storage, ages: [400, 200, 100, 20, 3, 0], now: now)
        let shape: [(user: String, views: Int, subdomain: String)] = [
            (owners[0], 50, "artist"), (owners[0], 40, ""), (owners[0], 30, "track"), (owners[1], 20, "artist"), (owners[1], 10, "playlist"), ("", 0, "  "),
        ]
        for (id, s) in zip(links, shape) {
            try await storage.write { db in
                try db.execute(sql: "UPDATE random_short SET user = ?, utm_view = ?, subdomain = ? WHERE id = ?", arguments: [s.user, s.views, s.subdomain, id])
            }
        }
        // 15 clicks: distinct counts per country (incl. blank and untrimmed) and per browser class, spread over time.
        let countries = Array(repeating: "ID", count: 5) + Array(repeating: " de ", count: 4) + Array(repeating: "us", count: 3) + ["", "", "BR"]
        let agents = Array(repeating: "Mozilla/5.0 Chrome/120.0 Safari/537.36", count: 5) + Array(repeating: "Mozilla/5.0 Version/17.0 Safari/605.1.15", count: 4)
            + Array(repeating: "Mozilla/5.0 Mobile Instagram 300.0", count: 3) + Array(repeating: "Mozilla/5.0 Gecko/20100101 Firefox/120.0", count: 2)
            + ["Mozilla/5.0 Chrome/120.0 Edg/120.0"]
        let ages: [Double] = [0, 0, 1, 2, 5, 6, 8, 15, 29, 31, 60, 89, 91, 150, 380]
        for i in 0..<15 {
            let click = try await storage.createRecordAsSuperuser(
                "analytics", values: .init([("author", .string(links[i % 6])), ("utm_userAgent", .string(agents[i])), ("utm_country", "x")]))
            try await Self.backdate(storage, "analytics", click.id, now.addingTimeInterval(-ages[i] * Self.day), set: ", utm_country = ?", [countries[(i * 7) % 15]])
        }
        var ours: [String: JSONValue] = [:]
        for days in [0, 7, 30, 90] {
            ours["\(days)"] = try await storage.read { db in try AdminStats.compute(db, rangeDays: days, now: now) }
        }
        try await RealPocketBase.serve(dir: dir, arguments: ["--hooksDir", RealPocketBase.hooksDir]) { base in
            for days in [0, 7, 30, 90] {
                let (status, theirs) = try await RealPocketBase.request("GET", base + "/api/admin/stats?days=\(days)")
                #expect(status == 200)
                let a = Self.comparable(ours["\(days)"]!), b = Self.comparable(theirs)
                #expect(a == b, "days=\(days)\n  sptfy-dev  \(a.encoded())\n  PocketBase \(b.encoded())")
            }
        }
    }

    /// Without `generatedAt`, and with tie order (unspecified in production's SQL) normalised.
    static func comparable(_ v: JSONValue) -> JSONValue {
        guard case .object(var o) = v else { return v }
        o["generatedAt"] = nil
        func sorted(_ path: [String], by key: (JSONValue) -> String) {
            guard case .object(var group)? = o[path[0]], case .array(let items)? = group[path[1]] else { return }
            group[path[1]] = .array(items.sorted { key($0) < key($1) })
            o[path[0]] = .object(group)
        }
        func rank(_ n: JSONValue?) -> String { String(format: "%012d", 999_999_999 - Int(n?.numberValue ?? 0)) }
        for b in ["browsers", "countries", "subdomains"] { sorted(["breakdowns", b]) { rank($0["count"]) + ($0["key"]?.stringValue ?? "") } }
        sorted(["leaderboards", "topLinks"]) { rank($0["utm_view"]) + ($0["id"]?.stringValue ?? "") }
        sorted(["leaderboards", "topCreators"]) { rank($0["linksCreated"]) + rank($0["totalClicks"]) + ($0["userId"]?.stringValue ?? "") }
        return .object(o)
    }
}
