import Foundation
import PBJSON

extension FixtureWorld {
    static let subdomains: [(String, Int)] = [
        ("track", 30), ("playlist", 20), ("album", 12), ("artist", 10), ("sptfy.in", 10), ("podcast", 5), ("profile", 4), ("play", 4), ("", 5),
    ]
    static let spotifyTypes = ["track", "playlist", "album", "artist", "episode", "show", "user"]
    /// User agents by class, weighted like a link shortener's traffic; " " stands for an empty agent (the API
    /// requires a non-blank value; whitespace is what reaches it).
    static let userAgents: [(String, Int)] = [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 24),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", 16),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", 18),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15", 6),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 356.0.0.25.109", 10),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/489.0.0.50.106]", 7),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", 6),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", 6),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 3),
        ("Unknown", 2),
        (" ", 2),
    ]
    /// Country codes (CF-IPCountry); " " is a blank header.
    static let countries: [(String, Int)] = [
        ("ID", 30), ("US", 18), ("MY", 8), ("PH", 7), ("GB", 6), ("DE", 5), ("BR", 5), ("JP", 4), ("SG", 4), ("IN", 4), ("FR", 3), ("AU", 2), ("XX", 1), (" ", 3),
    ]
    static let day: TimeInterval = 86_400
    static let userAgentTable = WeightedTable(userAgents)
    static let countryTable = WeightedTable(countries)

    /// Builds the world for `options`: the named records, then the bulk data, all from one seeded generator.
    public static func generate(_ options: FixtureOptions = FixtureOptions()) -> FixtureWorld {
        var rng = SeededRandom(seed: options.seed)
        let anchor = options.anchor
        func date(_ daysAgo: Double) -> JSONValue { .string(PBDate.format(anchor.addingTimeInterval(-daysAgo * day))) }
        var records: [FixtureRecord] = []
        var spotify: [(String, String)] = []

        // Users: the named ones, then `usersPerScale × scale` more (70% onboarded, 80% with a Spotify id).
        var userIDs: [String] = []
        for (i, u) in NamedFixtures.users.enumerated() {
            let created = Double(90 - i * 30)
            var v = JSONObject([
                ("id", .string(u.id)), ("username", .string(u.username)), ("email", .string(u.email)), ("emailVisibility", false),
                ("verified", true), ("password", .string(u.password)), ("passwordConfirm", .string(u.password)), ("name", .string(u.name)),
                ("onboarded", .bool(u.onboarded)), ("spotify_id", .string(u.spotifyID)),
            ])
            if u.id == NamedFixtures.carol.id { v["avatar"] = .string(NamedFixtures.carolAvatar) }
            v["created"] = date(created)
            v["updated"] = u.onboarded ? date(created - 0.01) : date(created)
            records.append(FixtureRecord("users", v))
            userIDs.append(u.id)
            spotify.append((u.id, u.spotifyID))
        }
        for i in 0..<(FixtureOptions.usersPerScale * options.scale) {
            let id = rng.id()
            let onboarded = rng.below(10) < 7
            let age = Double(rng.below(200)) + rng.unit()
            let spotifyID = rng.below(10) < 8 ? "sp\(rng.id(10))" : ""
            records.append(FixtureRecord("users", JSONObject([
                ("id", .string(id)), ("username", .string(String(format: "user%06d", i))), ("email", .string("user\(i)@fixtures.sptfy.local")),
                ("emailVisibility", false), ("verified", .bool(rng.below(2) == 0)), ("password", "fixture-password"),
                ("passwordConfirm", "fixture-password"), ("name", .string("Fixture User \(i)")), ("onboarded", .bool(onboarded)),
                ("spotify_id", .string(spotifyID)), ("created", date(age)), ("updated", onboarded ? date(age - rng.unit() * age) : date(age)),
            ])))
            userIDs.append(id)
            if !spotifyID.isEmpty { spotify.append((id, spotifyID)) }
        }

        // Links: named first, then bulk (30% owned); clicks follow a long-tailed popularity.
        struct LinkPlan { var id: String; var createdDaysAgo: Double; var clicks: Int }
        var plans: [LinkPlan] = []
        var linkRecords: [FixtureRecord] = []
        for (i, l) in NamedFixtures.links.enumerated() {
            let age = Double(100 - i * 20)
            linkRecords.append(FixtureRecord("random_short", JSONObject([
                ("id", .string(l.id)), ("from", .string(l.from)), ("id_url", .string(l.slug)), ("enable", true), ("utm_view", .number(Double(l.clicks))),
                ("subdomain", .string(l.subdomain)), ("user", .string(l.owner ?? "")), ("created", date(age)), ("updated", date(age)),
            ])))
            plans.append(LinkPlan(id: l.id, createdDaysAgo: age, clicks: l.clicks))
        }
        let bulkLinks = FixtureOptions.linksPerScale * options.scale
        var budget = FixtureOptions.clicksPerScale * options.scale
        // Zipf-like weights: link k gets ∝ 1/(k+1); normalised to the click budget below.
        let weights = (0..<bulkLinks).map { 1 / Double($0 + 1) }
        let total = weights.reduce(0, +)
        for i in 0..<bulkLinks {
            let id = rng.id()
            let age = 120 * pow(rng.unit(), 1.6)  // more recent links than old ones
            let owner = rng.below(10) < 3 ? userIDs[rng.below(userIDs.count)] : ""
            let type = spotifyTypes[rng.below(spotifyTypes.count)]
            let clicks = i == bulkLinks - 1 ? max(budget, 0) : min(budget, Int((weights[i] / total) * Double(FixtureOptions.clicksPerScale * options.scale)))
            budget -= clicks
            linkRecords.append(FixtureRecord("random_short", JSONObject([
                ("id", .string(id)), ("from", .string("https://open.spotify.com/\(type)/\(rng.id(22))")),
                ("id_url", .string("\(String(i, radix: 36))x\(rng.id(4))")), ("enable", .bool(rng.below(20) != 0)),
                ("utm_view", .number(Double(clicks))), ("subdomain", .string(rng.weighted(subdomains))), ("user", .string(owner)),
                ("created", date(age)), ("updated", date(age)),
            ])))
            plans.append(LinkPlan(id: id, createdDaysAgo: age, clicks: clicks))
        }
        records += linkRecords

        // Clicks: each link's `utm_view` clicks, between its creation and the anchor, from a seed of its own (see
        // `forEachClick`), so they are generated while they load.
        let clickPlans = plans.map { ClickPlan(linkID: $0.id, createdDaysAgo: $0.createdDaysAgo, count: $0.clicks, seed: rng.next()) }

        // The unused collections get a few rows so they are not empty in the admin UI.
        for i in 0..<5 {
            records.append(FixtureRecord("blocks", JSONObject([
                ("id", .string(rng.id())), ("author", .string(userIDs[i % userIDs.count])), ("isPlaylist", .string(i % 2 == 0 ? "yes" : "")),
                ("isTrack", .string(i % 2 == 1 ? "yes" : "")), ("created", date(Double(i))), ("updated", date(Double(i))),
            ])))
        }
        for i in 0..<10 {
            records.append(FixtureRecord("random_short_dev", JSONObject([
                ("id", .string(rng.id())), ("from", .string("https://open.spotify.com/track/\(rng.id(22))")), ("id_url", .string("dev-\(i)")),
                ("enable", true), ("utm_view", .number(Double(rng.below(50)))), ("subdomain", .string(rng.weighted(subdomains))),
                ("created", date(Double(i))), ("updated", date(Double(i))),
            ])))
        }
        for i in 0..<3 {
            records.append(FixtureRecord("testCollection", JSONObject([
                ("id", .string(rng.id())), ("name", .string("test \(i)")), ("utm_view", .number(Double(i))), ("field", true),
                ("created", date(Double(i))), ("updated", date(Double(i))),
            ])))
        }
        return FixtureWorld(options: options, records: records, clickPlans: clickPlans, spotifyLinks: spotify)
    }
}
