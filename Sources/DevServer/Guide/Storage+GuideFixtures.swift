import Fixtures
import Foundation
import GRDB
import PocketBase

/// The guide profile's fixture world (same seed → same world): the named users and links of production's world
/// (the guide's users have no username), clicks recorded through the click path (hashed IPs, geolocated by the
/// ip-api stub, referrer origins), and blocks of both types — one of them expired.
public enum GuideFixtures {
    /// Addresses the blocks name: a user block on carol, an active IP block, an expired one.
    public static let blockedIP = "203.0.113.7"
    public static let expiredBlockIP = "198.51.100.23"
    /// Public addresses the clicks come from (the ip-api stub answers each with a country).
    static let clickIPs = ["8.8.8.8", "1.1.1.1", "81.2.69.142", "2.16.0.1", "5.62.56.1", "41.0.0.1", "103.1.1.1", "177.0.0.1"]
    static let userAgents = [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Instagram",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36", "WhatsApp/2.23.20",
    ]
    static let referrers = ["https://www.instagram.com", "https://t.co", "https://www.tiktok.com", "", ""]
}

extension Storage {
    /// Loads the guide world into a fresh guide-profile data dir (`prepare` calls it once; snapshots keep it).
    public func loadGuideFixtures(_ options: FixtureOptions, app: GuideApp) async throws {
        var rng = SeededRandom(seed: options.seed &+ 0x6775_6964_65)  // "guide": its own stream
        for u in NamedFixtures.users {
            _ = try await createRecordAsSuperuser("users", values: JSONObject([
                ("id", .string(u.id)), ("email", .string(u.email)), ("password", .string(u.password)), ("passwordConfirm", .string(u.password)),
                ("name", .string(u.name)), ("verified", .bool(true)), ("emailVisibility", .bool(false)),
            ]))
        }
        let day = 86_400.0
        for link in NamedFixtures.links {
            _ = try await createRecordAsSuperuser("random_short", values: JSONObject([
                ("id", .string(link.id)), ("id_url", .string(link.slug)), ("from", .string(link.from)), ("subdomain", .string(link.subdomain)),
                ("user", .string(link.owner ?? "")), ("enable", .bool(true)),
            ]))
            let clicks = link.clicks * max(options.scale, 1)
            for _ in 0..<clicks {
                // Spread over the last 30 days, more recent days busier.
                let age = pow(rng.unit(), 2) * 30 * day
                let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
                let id = String((0..<15).map { _ in alphabet[rng.below(alphabet.count)] })
                var values: [String: JSONValue] = [
                    "id": .string(id), "link": .string(link.id), "ip": .string(GuideFixtures.clickIPs[rng.below(GuideFixtures.clickIPs.count)]),
                    "timestamp": .string(PBDate.format(options.anchor.addingTimeInterval(day - age))),
                    "user_agent": .string(GuideFixtures.userAgents[rng.below(GuideFixtures.userAgents.count)]),
                    "referrer": .string(GuideFixtures.referrers[rng.below(GuideFixtures.referrers.count)]),
                ]
                values = await app.prepareClick(values)
                _ = try await createRecordAsSuperuser("analytics", values: JSONObject(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
            }
            if clicks > 0 {
                try await write { db in try db.execute(sql: "UPDATE random_short SET utm_view = ? WHERE id = ?", arguments: [clicks, link.id]) }
            }
        }
        let blocks: [(String, String, String, TimeInterval?)] = [
            ("user", NamedFixtures.carol.id, "spam links", nil),
            ("ip", GuideFixtures.blockedIP, "scraper", 30 * day),
            ("ip", GuideFixtures.expiredBlockIP, "old abuse, expired", -day),
        ]
        for (type, value, reason, expires) in blocks {
            var values = JSONObject([("type", .string(type)), ("value", .string(value)), ("reason", .string(reason))])
            if let expires { values["expires"] = .string(PBDate.format(options.anchor.addingTimeInterval(expires))) }
            _ = try await createRecordAsSuperuser("blocks", values: values)
        }
    }
}
