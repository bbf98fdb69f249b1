import Foundation
import PBJSON

/// Two instances seeded with the same fixture world (`sptfy-dev seed`) must answer the frontend's read paths
/// alike: `/api/admin/stats` for every `days` (without `generatedAt`; tie order, which production's SQL leaves
/// open, normalised; `created` dropped from top links since seeding time differs), the top-links list and the
/// totals of the recent list and the click counter.
public enum FixtureParity {
    /// Human-readable differences; empty when the two agree.
    public static func differences(_ a: any ContractClient, _ b: any ContractClient) async throws -> [String] {
        var out: [String] = []
        for days in ["0", "7", "30", "90"] {
            let (x, y) = (try await stats(a, days), try await stats(b, days))
            if x != y { out.append("admin stats days=\(days):\n  A \(x.encoded())\n  B \(y.encoded())") }
        }
        let reads = [
            "/api/collections/viewList/records?sort=-utm_view&fields=id_url,from,subdomain,utm_view&perPage=10&page=1&filter=(utm_view>0)",
            "/api/collections/viewList/records?sort=-created&fields=id_url&perPage=10&page=1&skipTotal=0",
            "/api/collections/analytics/records?sort=-created&perPage=1&page=1",
        ]
        for (i, path) in reads.enumerated() {
            var (x, y) = (try await get(a, path), try await get(b, path))
            if i > 0 {  // order by creation time differs between two seedings: compare the totals
                (x, y) = (x["totalItems"] ?? .null, y["totalItems"] ?? .null)
            }
            if x != y { out.append("\(path):\n  A \(x.encoded().prefix(600))\n  B \(y.encoded().prefix(600))") }
        }
        return out
    }

    static func get(_ client: any ContractClient, _ path: String) async throws -> JSONValue {
        let r = try await client.send(ContractRequest("GET", path))
        try expectStatus(r, 200, path)
        return try r.json()
    }

    static func stats(_ client: any ContractClient, _ days: String) async throws -> JSONValue {
        guard case .object(var o) = try await get(client, "/api/admin/stats?days=\(days)") else { return .null }
        o["generatedAt"] = nil
        func rank(_ v: JSONValue?) -> String { String(format: "%012d", 999_999_999 - Int(v?.numberValue ?? 0)) }
        func sort(_ group: String, _ list: String, drop: String? = nil, by key: (JSONValue) -> String) {
            guard case .object(var g)? = o[group], let items = g[list]?.arrayValue else { return }
            g[list] = .array(items.map { item -> JSONValue in
                guard let drop, case .object(var e) = item else { return item }
                e[drop] = nil
                return .object(e)
            }.sorted { key($0) < key($1) })
            o[group] = .object(g)
        }
        for b in ["browsers", "countries", "subdomains"] { sort("breakdowns", b) { rank($0["count"]) + ($0["key"]?.stringValue ?? "") } }
        sort("leaderboards", "topLinks", drop: "created") { rank($0["utm_view"]) + ($0["id"]?.stringValue ?? "") }
        sort("leaderboards", "topCreators") { rank($0["linksCreated"]) + rank($0["totalClicks"]) + ($0["userId"]?.stringValue ?? "") }
        return .object(o)
    }
}
