import Foundation
import PocketBase
import GRDB
import Hummingbird

/// `GET /api/admin/stats?days=0|7|30|90` (`admin-stats.pb.js`): eleven SQL aggregations over random_short and
/// analytics, with production's range, bucket and series-filling rules. No auth at this layer, as in production.
struct AdminStats {
    let storage: Storage
    var now: @Sendable () -> Date = { Date() }

    func register(on router: Router<AppRequestContext>) {
        router.get("api/admin/stats") { request, _ in
            let days = Self.rangeDays(request.uri.queryParams["days"])
            let now = self.now()
            return Response.json(try await cached(rangeDays: days, now: now))
        }
    }

    static let validDays = [0, 7, 30, 90]

    /// The stats through the exact result cache (a repeat costs a lookup instead of eleven aggregations): keyed by
    /// the range and its first day, valid while random_short and analytics are unchanged. `generatedAt` is set per
    /// answer; the all-time bucket size also moves with the clock, so a hit whose bucket the clock has changed
    /// is computed again.
    func cached(rangeDays days: Int, now: Date) async throws -> JSONValue {
        let since = days == 0 ? "" : PBDate.format(Self.since(rangeDays: days, now: now))
        let key = "admin-stats\u{0}\(days)\u{0}\(since)"
        var result = try await storage.cachedRead(key: key, tables: ["random_short", "analytics"], cost: { _ in 10 }) { db in
            try Self.computeWithEarliest(db, rangeDays: days, now: now)
        }
        if days == 0, let earliest = result.earliest, Self.aggregation(earliest: earliest, now: now).0 != result.stats["aggregation"]?.stringValue {
            result = try await storage.read { db in try Self.computeWithEarliest(db, rangeDays: days, now: now) }
        }
        guard case .object(var stats) = result.stats else { return result.stats }
        stats["generatedAt"] = .string(String(PBDate.format(now).replacingOccurrences(of: " ", with: "T")))
        return .object(stats)
    }

    /// The all-time aggregation and its SQL bucket for the earliest `created`, seen at `now`.
    static func aggregation(earliest value: String, now: Date) -> (String, String) {
        var span = 30
        if !value.isEmpty, let first = PBDate.parse(value) {
            let ms = (now.timeIntervalSince1970 * 1000).rounded(.down) - (first.timeIntervalSince1970 * 1000).rounded()
            span = Int((ms / 86_400_000).rounded(.up)) + 1
        }
        if span > 365 { return ("month", "strftime('%Y-%m', created)") }
        if span > 90 { return ("week", "strftime('%Y-W%W', created)") }
        return ("day", "date(created)")
    }

    /// `parseInt(days || '30', 10)`, anything but 0/7/30/90 → 30.
    static func rangeDays(_ param: String?) -> Int {
        let raw = param.flatMap { $0.isEmpty ? nil : $0 } ?? "30"
        guard let n = jsParseInt(raw), validDays.contains(n) else { return 30 }
        return n
    }

    /// JavaScript's `parseInt(s, 10)`: leading whitespace, an optional sign, then as many digits as there are.
    static func jsParseInt(_ s: String) -> Int? {
        var rest = s.drop { $0.isWhitespace }
        var sign = 1
        if let c = rest.first, c == "-" || c == "+" {
            sign = c == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return nil }
        return Int(digits.prefix(18)).map { $0 * sign }
    }

    /// UTC midnight of today − (days − 1), as `YYYY-MM-DD 00:00:00.000` (compared as a string with `created`).
    static func since(rangeDays: Int, now: Date) -> Date {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        return utc.date(byAdding: .day, value: -(rangeDays - 1), to: utc.startOfDay(for: now))!
    }

    static let browserCase = """
        CASE WHEN utm_userAgent LIKE '%Instagram%' THEN 'Instagram' \
        WHEN utm_userAgent LIKE '%FBAN%' OR utm_userAgent LIKE '%FBAV%' THEN 'Facebook' \
        WHEN utm_userAgent LIKE '%Edg%' THEN 'Edge' \
        WHEN utm_userAgent LIKE '%Chrome%' AND utm_userAgent NOT LIKE '%Edg%' THEN 'Chrome' \
        WHEN utm_userAgent LIKE '%Safari%' AND utm_userAgent NOT LIKE '%Chrome%' AND utm_userAgent NOT LIKE '%Edg%' THEN 'Safari' \
        WHEN utm_userAgent LIKE '%Firefox%' THEN 'Firefox' \
        WHEN utm_userAgent IS NULL OR utm_userAgent = '' THEN 'Unknown' ELSE 'Other' END
        """

    static func compute(_ db: Database, rangeDays: Int, now: Date) throws -> JSONValue {
        try computeWithEarliest(db, rangeDays: rangeDays, now: now).stats
    }

    /// The stats and, for all time, the earliest `created` that chose their buckets.
    static func computeWithEarliest(_ db: Database, rangeDays: Int, now: Date) throws -> (stats: JSONValue, earliest: String?) {
        let allTime = rangeDays == 0
        let sinceDate = since(rangeDays: rangeDays, now: now)
        let sinceText = String(PBDate.format(sinceDate).dropLast())  // toISOString() with T→space, Z stripped
        let range = allTime ? "" : " WHERE created >= ?"
        let args: StatementArguments = allTime ? [] : [sinceText]

        func count(_ sql: String, _ a: StatementArguments = []) throws -> Int { try Int.fetchOne(db, sql: sql, arguments: a) ?? 0 }
        func rows(_ sql: String) throws -> [Row] { try Row.fetchAll(db, sql: sql, arguments: args) }

        let totalLinks = try count("SELECT COUNT(*) AS count FROM random_short")
        let linksInRange = try count("SELECT COUNT(*) AS count FROM random_short" + range, args)
        let clicksInRange = try count("SELECT COUNT(*) AS count FROM analytics" + range, args)

        var aggregation = "day", bucket = "date(created)", earliestCreated: String?
        if allTime {
            let earliest = try Row.fetchOne(
                db, sql: "SELECT MIN(created) AS earliest FROM (SELECT MIN(created) AS created FROM random_short "
                    + "UNION ALL SELECT MIN(created) AS created FROM analytics)")
            // Production scans this into a string model: NULL (both tables empty) fails the request.
            guard let value: String = earliest?["earliest"] else { throw APIError.badRequest() }
            (aggregation, bucket) = Self.aggregation(earliest: value, now: now)
            earliestCreated = value
        }

        func buckets(_ table: String) throws -> [(String, Int)] {
            try rows("SELECT \(bucket) AS bucket, COUNT(*) AS count FROM \(table)\(range) GROUP BY bucket ORDER BY bucket")
                .map { ($0["bucket"] ?? "", $0["count"] ?? 0) }
        }
        func series(_ table: String) throws -> JSONValue {
            let data = try buckets(table)
            guard !allTime else { return .array(data.map { point($0.0, $0.1) }) }
            let map = Dictionary(data, uniquingKeysWith: { a, _ in a })
            return .array((0..<rangeDays).map { i in
                let key = String(PBDate.format(sinceDate.addingTimeInterval(Double(i) * 86_400)).prefix(10))
                return point(key, map[key] ?? 0)
            })
        }
        func point(_ date: String, _ n: Int) -> JSONValue { .obj(["count": .number(Double(n)), "date": .string(date)]) }
        func breakdown(_ keyExpr: String, _ table: String) throws -> JSONValue {
            .array(try rows("SELECT \(keyExpr) AS key, COUNT(*) AS count FROM \(table)\(range) GROUP BY key ORDER BY count DESC LIMIT 10").map {
                .obj(["count": .number(Double($0["count"] ?? 0)), "key": .string($0["key"] ?? "")])
            })
        }

        let topLinks = try Row.fetchAll(
            db, sql: "SELECT id, id_url, COALESCE(NULLIF(TRIM(subdomain), ''), 'sptfy.in') AS subdomain, COALESCE(utm_view, 0) AS utm_view, created "
                + "FROM random_short ORDER BY utm_view DESC LIMIT 10"
        ).map { r -> JSONValue in
            .obj([
                "created": .string(r["created"] ?? ""), "id": .string(r["id"] ?? ""), "id_url": .string(r["id_url"] ?? ""),
                "subdomain": .string(r["subdomain"] ?? ""), "utm_view": .number(Double(r["utm_view"] as Int? ?? 0)),
            ])
        }
        let topCreators = try rows(
            "SELECT COALESCE(NULLIF(TRIM(\"user\"), ''), 'guest') AS userId, COUNT(*) AS linksCreated, COALESCE(SUM(utm_view), 0) AS totalClicks "
                + "FROM random_short\(range) GROUP BY userId ORDER BY linksCreated DESC, totalClicks DESC LIMIT 10"
        ).map { r -> JSONValue in
            .obj([
                "linksCreated": .number(Double(r["linksCreated"] as Int? ?? 0)), "totalClicks": .number(Double(r["totalClicks"] as Int? ?? 0)),
                "userId": .string(r["userId"] ?? ""),
            ])
        }
        let average = linksInRange > 0 ? (Double(clicksInRange) / Double(linksInRange) * 100 + 0.5).rounded(.down) / 100 : 0

        // Keys sorted at every level: production builds a JS object, which Go marshals as a map.
        let stats: JSONValue = .obj([
            "aggregation": .string(aggregation),
            "breakdowns": .obj([
                "browsers": try breakdown(browserCase, "analytics"),
                "countries": try breakdown("COALESCE(UPPER(TRIM(utm_country)), 'UN')", "analytics"),
                "subdomains": try breakdown("COALESCE(NULLIF(TRIM(subdomain), ''), 'sptfy.in')", "random_short"),
            ]),
            "generatedAt": .string(String(PBDate.format(now).replacingOccurrences(of: " ", with: "T"))),
            "leaderboards": .obj(["topCreators": .array(topCreators), "topLinks": .array(topLinks)]),
            "rangeDays": .number(Double(rangeDays)),
            "series": .obj(["clicksByDay": try series("analytics"), "linksByDay": try series("random_short")]),
            "summary": .obj([
                "avgClicksPerLink": .number(average), "clicksInRange": .number(Double(clicksInRange)),
                "linksCreatedInRange": .number(Double(linksInRange)), "totalLinks": .number(Double(totalLinks)),
            ]),
        ])
        return (stats, earliestCreated)
    }
}
