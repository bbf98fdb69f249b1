import Crypto
import Foundation
import PBJSON

/// The guide profile (`serve --profile guide`, docs/guide-profile.md): what its hooks promise, checked the same on
/// sptfy-dev and on a real PocketBase 0.23.12 with `scripts/reference-pb_hooks-guide/`. Client addresses come from
/// `X-Forwarded-For` (each scenario points PocketBase's trusted proxy at it and puts the old setting back).
extension Scenarios {
    public static let guide: [Scenario] = [
        Scenario("guide: a guest click is recorded with a hashed ip, its country, user agent and referrer origin", tags: [.mutating, .needsSuperuser]) { ctx in
            let g = try await GuideContext(ctx)
            let link = try await g.link("click")
            let ip = g.ip(1)
            let r = try await ctx.send("POST", "/api/sptfy/click/\(link.slug)", headers: [
                ("X-Forwarded-For", ip), ("User-Agent", "Mozilla/5.0 (guide-contract)"), ("Referer", "https://User:pw@WWW.Instagram.com:443/p/abc?utm=1#x"),
            ])
            try expectStatus(r, 200, "click: \(r.text)")
            try expect(
                r.text == #"{"from":"https://open.spotify.com/track/\#(ctx.runID)","id":"\#(link.id)","id_url":"\#(link.slug)","subdomain":"","utm_view":1}"# + "\n"
                    || r.text == #"{"from":"https://open.spotify.com/track/\#(ctx.runID)","id":"\#(link.id)","id_url":"\#(link.slug)","subdomain":"","utm_view":1}"#,
                "click body: \(r.text)")
            let clicks = try await ctx.list("analytics", filter: "link = '\(link.id)'", token: g.su)
            let item = try clicks.json()["items"]?.arrayValue?.first ?? .null
            try expect(item["ip"]?.stringValue == GuideContext.sha256hex(GuideContext.salt + ip), "ip is the salted hash: \(item.encoded())")
            try expect(item["user_agent"] == "Mozilla/5.0 (guide-contract)" && item["referrer"] == "https://www.instagram.com", "ua/referrer: \(item.encoded())")
            try expect((item["country_code"]?.stringValue ?? "").count == 2, "country from ip-api: \(item.encoded())")
            // A second click counts; an unknown slug is a 404; GET is not a route.
            let second = try await ctx.send("POST", "/api/sptfy/click/\(link.slug)", headers: [("X-Forwarded-For", ip)])
            try expect(try second.json()["utm_view"] == 2, "second click: \(second.text)")
            try expectError(try await ctx.send("POST", "/api/sptfy/click/nope-\(ctx.runID)", headers: [("X-Forwarded-For", ip)]), 404, "The requested resource wasn't found.")
            let long = try await ctx.send("POST", "/api/sptfy/click/\(link.slug)", headers: [("X-Forwarded-For", ip), ("User-Agent", String(repeating: "a", count: 5001))])
            try expectError(long, 400, "Something went wrong while processing your request.", data: .obj([
                "user_agent": fieldError("validation_max_text_constraint", "Must be no more than 5000 character(s).", params: ["max": 5000]),
            ]))
            let after = try await ctx.send("GET", "/api/collections/random_short/records/\(link.id)", token: g.su)
            try expect(try after.json()["utm_view"] == 2, "a failed click counts nothing")
        },
        Scenario("guide: analytics are created by hooks only and read by the link's owner", tags: [.mutating, .needsSuperuser]) { ctx in
            let g = try await GuideContext(ctx)
            let owner = try await g.user("owner"), other = try await g.user("other")
            let link = try await g.link("own", owner: owner.id)
            let forbidden = "Only superusers can perform this action."
            try expectError(try await ctx.send("POST", "/api/collections/analytics/records", json: .obj(["link": .string(link.id)]), token: owner.token), 403, forbidden)
            try expectError(try await ctx.send("POST", "/api/collections/analytics/records", json: .obj(["link": .string(link.id)])), 403, forbidden)
            // A superuser create goes through the same hashing and lookup; an update of ip hashes the new one.
            let made = try await ctx.send("POST", "/api/collections/analytics/records", json: .obj([
                "link": .string(link.id), "ip": "81.2.69.142", "user_agent": "seed", "timestamp": "2025-01-02 03:04:05.000Z",
            ]), token: g.su)
            try expectStatus(made, 200, "superuser analytics create: \(made.text)")
            let id = try made.json()["id"]?.stringValue ?? ""
            try expect(try made.json()["ip"]?.stringValue == GuideContext.sha256hex(GuideContext.salt + "81.2.69.142"), "hashed: \(made.text)")
            let patched = try await ctx.send("PATCH", "/api/collections/analytics/records/\(id)", json: .obj(["ip": "1.1.1.1"]), token: g.su)
            try expect(try patched.json()["ip"]?.stringValue == GuideContext.sha256hex(GuideContext.salt + "1.1.1.1"), "re-hashed: \(patched.text)")
            try expect(try patched.json()["country_code"] == made.json()["country_code"], "country kept")
            try expect(try ctx.column(try await ctx.list("analytics", filter: "link = '\(link.id)'", token: owner.token), "id") == [id], "owner lists it")
            try expect(try ctx.column(try await ctx.list("analytics", filter: "link = '\(link.id)'", token: other.token), "id").isEmpty, "others see none")
            try expectError(try await ctx.send("GET", "/api/collections/analytics/records/\(id)", token: other.token), 404, "The requested resource wasn't found.")
            try expectError(try await ctx.send("DELETE", "/api/collections/analytics/records/\(id)", token: owner.token), 403, forbidden)
        },
        Scenario("guide: blocks stop link creation and clicks until they expire; superusers are never blocked", tags: [.mutating, .needsSuperuser]) { ctx in
            let g = try await GuideContext(ctx)
            let user = try await g.user("blocked")
            let link = try await g.link("target")
            let accountBlocked = "Your account is blocked.", ipBlocked = "Your IP address is blocked."
            try await g.block("user", user.id)
            let links = "/api/collections/random_short/records"
            // Checked before Turnstile: no token, still 403.
            try expectError(try await ctx.send("POST", links, json: ctx.link("b1"), token: user.token, headers: [("X-Forwarded-For", g.ip(2))], turnstile: nil), 403, accountBlocked)
            try expectError(try await ctx.send("POST", "/api/sptfy/click/\(link.slug)", token: user.token, headers: [("X-Forwarded-For", g.ip(2))]), 403, accountBlocked)
            try expectStatus(try await ctx.send("POST", "/api/sptfy/click/\(link.slug)", headers: [("X-Forwarded-For", g.ip(2))]), 200, "the same client logged out")
            // An IP block by address, one by the hash analytics shows; before the link lookup.
            try await g.block("ip", g.ip(3))
            try expectError(try await ctx.send("POST", links, json: ctx.link("b2"), headers: [("X-Forwarded-For", g.ip(3))]), 403, ipBlocked)
            try expectError(try await ctx.send("POST", "/api/sptfy/click/nope-\(ctx.runID)", headers: [("X-Forwarded-For", g.ip(3))]), 403, ipBlocked)
            try await g.block("ip", GuideContext.sha256hex(GuideContext.salt + g.ip(4)))
            try expectError(try await ctx.send("POST", "/api/sptfy/click/\(link.slug)", headers: [("X-Forwarded-For", g.ip(4))]), 403, ipBlocked)
            // Expired blocks no longer apply.
            try await g.block("ip", g.ip(5), expires: "2020-01-01 00:00:00.000Z")
            try expectStatus(try await ctx.send("POST", "/api/sptfy/click/\(link.slug)", headers: [("X-Forwarded-For", g.ip(5))]), 200, "expired block")
            try expectStatus(try await ctx.send("POST", links, json: ctx.link("b3"), headers: [("X-Forwarded-For", g.ip(5))]), 200, "expired block, create")
            try expectStatus(try await ctx.send("POST", "/api/sptfy/click/\(link.slug)", token: g.su, headers: [("X-Forwarded-For", g.ip(3))]), 200, "superuser")
            // Blocks are superusers-only data.
            let forbidden = "Only superusers can perform this action."
            try expectError(try await ctx.send("POST", "/api/collections/blocks/records", json: .obj(["type": "ip", "value": "x"]), token: user.token), 403, forbidden)
            try expectStatus(try await ctx.send("GET", "/api/collections/blocks/records", token: user.token), 403, "blocks list")
        },
        Scenario("guide: users and viewList follow the guide's rules", tags: [.mutating, .needsSuperuser]) { ctx in
            let g = try await GuideContext(ctx)
            let alice = try await g.user("alice"), bob = try await g.user("bob")
            let link = try await g.link("agg", owner: alice.id)
            for (n, referer) in [(6, "https://t.co/abc"), (6, "https://t.co/def"), (7, "https://t.co/x")] {
                try expectStatus(try await ctx.send("POST", "/api/sptfy/click/\(link.slug)", headers: [("X-Forwarded-For", g.ip(n)), ("Referer", referer)]), 200, "click")
            }
            try expect(try ctx.column(try await ctx.list("viewList", filter: "link = '\(link.id)'"), "id").isEmpty, "guests see no aggregates")
            let rows = try await ctx.list("viewList", filter: "link = '\(link.id)'", query: "sort=-clicks&fields=clicks,visitors,referrer,link", token: bob.token)
            try expectStatus(rows, 200, "viewList")
            // One row per link/day/country/referrer: the two addresses may get different countries, so count.
            let items = try rows.json()["items"]?.arrayValue ?? []
            let sum = { (key: String) in items.reduce(0.0) { $0 + ($1[key]?.numberValue ?? 0) } }
            try expect(sum("clicks") == 3 && sum("visitors") == 2 && items.allSatisfy { $0["referrer"] == "https://t.co" && $0["link"] == .string(link.id) },
                "aggregates (clicks, distinct hashed ips, referrer origins): \(rows.text)")
            // users: list/view for anyone logged in, update only yourself, delete superusers only.
            try expect(try ctx.column(try await ctx.list("users", filter: "id = '\(alice.id)'"), "id").isEmpty, "guests list no users")
            try expect(try ctx.column(try await ctx.list("users", filter: "id = '\(alice.id)'", token: bob.token), "id") == [alice.id], "bob lists alice")
            try expectError(try await ctx.send("PATCH", "/api/collections/users/records/\(alice.id)", json: .obj(["name": "x"]), token: bob.token), 404, "The requested resource wasn't found.")
            let renamed = try await ctx.send("PATCH", "/api/collections/users/records/\(alice.id)?fields=name", json: .obj(["name": "Alice"]), token: alice.token)
            try expect(renamed.status == 200 && (try renamed.json()) == .obj(["name": "Alice"]), "rename yourself: \(renamed.text)")
            try expectError(try await ctx.send("DELETE", "/api/collections/users/records/\(alice.id)", token: alice.token), 403, "Only superusers can perform this action.")
        },
    ]
}

/// Per-scenario setup for the guide: trusted proxy on X-Forwarded-For, run-unique client addresses, users, links
/// and blocks (all removed afterwards).
struct GuideContext {
    let ctx: ScenarioContext
    let su: String
    /// Two run-unique octets: blocks and aggregates of parallel runs never meet.
    let net: (Int, Int)

    static let salt = "sptfy-dev-insecure-ip-salt"

    init(_ ctx: ScenarioContext) async throws {
        self.ctx = ctx
        su = try await ctx.superuser()
        var h: UInt64 = 1469598103934665603
        for b in ctx.runID.utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
        net = (Int(h % 200) + 20, Int((h >> 8) % 250))
        let before = try await ctx.send("GET", "/api/settings", token: su)
        let old = try before.json()["trustedProxy"] ?? .obj(["headers": [], "useLeftmostIP": false])
        try expectStatus(try await ctx.send("PATCH", "/api/settings", json: .obj(["trustedProxy": .obj(["headers": ["X-Forwarded-For"], "useLeftmostIP": false])]), token: su), 200, "trusted proxy")
        let token = su
        ctx.cleanup { _ = try? await ctx.send("PATCH", "/api/settings", json: .obj(["trustedProxy": old]), token: token) }
    }

    /// A public-looking address unique to this run (the ip-api stub answers it with a country).
    func ip(_ n: Int) -> String { "45.\(net.0).\(net.1).\(n)" }

    func user(_ hint: String) async throws -> (id: String, token: String) {
        let email = "\(hint).\(ctx.runID)@example.com"
        let made = try await ctx.create("users", .obj([
            "email": .string(email), "password": "password123", "passwordConfirm": "password123", "name": .string(hint),
        ]))
        let r = try await ctx.send("POST", "/api/collections/users/auth-with-password", json: .obj(["identity": .string(email), "password": "password123"]))
        try expectStatus(r, 200, "user login: \(r.text)")
        return (made["id"]?.stringValue ?? "", try r.json()["token"]?.stringValue ?? "")
    }

    func link(_ hint: String, owner: String = "") async throws -> (id: String, slug: String) {
        let made = try await ctx.create("random_short", ctx.link(hint, extra: ["user": .string(owner)]))
        return (made["id"]?.stringValue ?? "", made["id_url"]?.stringValue ?? "")
    }

    func block(_ type: String, _ value: String, expires: String = "") async throws {
        try await ctx.create("blocks", .obj(["type": .string(type), "value": .string(value), "reason": "contract", "expires": .string(expires)]))
    }

    /// Lower-case hex SHA-256, as the hooks store analytics.ip.
    static func sha256hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
