import Foundation
import PBJSON
import Testing

@testable import Fixtures

@Suite struct FixtureWorldTests {
    static let anchor = Date(timeIntervalSince1970: 1_795_737_600)  // 2026-11-27 00:00:00 UTC

    @Test func sameSeedSameBytesOtherSeedOtherWorld() {
        let a = FixtureWorld.generate(FixtureOptions(seed: 7, anchor: Self.anchor)).jsonLines()
        let b = FixtureWorld.generate(FixtureOptions(seed: 7, anchor: Self.anchor)).jsonLines()
        let c = FixtureWorld.generate(FixtureOptions(seed: 8, anchor: Self.anchor)).jsonLines()
        #expect(a == b)
        #expect(a != c)
        #expect(a.hasPrefix(#"{"collection":"users","id":"fxalice00000001","username":"sptfy_alice""#))
    }

    @Test func namedRecordsAreStableAcrossSeedsAndScales() {
        for options in [FixtureOptions(seed: 1, scale: 0, anchor: Self.anchor), FixtureOptions(seed: 99, scale: 3, anchor: Self.anchor)] {
            let world = FixtureWorld.generate(options)
            let users = Dictionary(world.records(in: "users").map { ($0.id, $0.values) }, uniquingKeysWith: { a, _ in a })
            for u in NamedFixtures.users {
                #expect(users[u.id]?["username"] == .string(u.username) && users[u.id]?["onboarded"] == .bool(u.onboarded))
            }
            #expect(users[NamedFixtures.bob.id]?["created"] == users[NamedFixtures.bob.id]?["updated"], "bob is on his first login")
            #expect(users[NamedFixtures.carol.id]?["avatar"] == .string(NamedFixtures.carolAvatar))
            let links = Dictionary(world.records(in: "random_short").map { ($0.id, $0.values) }, uniquingKeysWith: { a, _ in a })
            for l in NamedFixtures.links {
                #expect(links[l.id]?["id_url"] == .string(l.slug) && links[l.id]?["user"] == .string(l.owner ?? ""))
                let clicks = world.records(in: "analytics").filter { $0.values["author"] == .string(l.id) }.count
                #expect(clicks == l.clicks && links[l.id]?["utm_view"] == .number(Double(l.clicks)))
            }
            #expect(Set(world.spotifyLinks.map(\.spotifyID)).isSuperset(of: ["sptfy_alice", "sptfy_bob"]))
        }
    }

    @Test func bulkDataIsRealisticAndConsistent() {
        let world = FixtureWorld.generate(FixtureOptions(seed: 3, scale: 2, anchor: Self.anchor))
        let links = world.records(in: "random_short"), clicks = world.records(in: "analytics")
        #expect(world.records(in: "users").count == 3 + 2 * FixtureOptions.usersPerScale)
        #expect(links.count == 4 + 2 * FixtureOptions.linksPerScale)
        let named = NamedFixtures.links.reduce(0) { $0 + $1.clicks }
        #expect(clicks.count == named + 2 * FixtureOptions.clicksPerScale)
        // utm_view equals the clicks generated per link; every click references an existing link
        var perLink: [String: Int] = [:]
        for c in clicks { perLink[c.values["author"]?.stringValue ?? "", default: 0] += 1 }
        for l in links { #expect(Int(l.values["utm_view"]?.numberValue ?? -1) == perLink[l.id, default: 0]) }
        // unique slugs and ids valid for the schema
        #expect(Set(links.map { $0.values["id_url"]?.stringValue ?? "" }).count == links.count)
        let pattern = try! Regex("^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$")
        #expect(links.allSatisfy { ($0.values["id_url"]?.stringValue ?? "").wholeMatch(of: pattern) != nil && ($0.values["id_url"]?.stringValue?.count ?? 0) >= 4 })
        #expect(world.allRecords.allSatisfy { $0.id.count == 15 })
        // every subdomain, guests and owners, 120 days of clicks, blanks among countries, every browser class
        let subdomains = Set(links.map { $0.values["subdomain"]?.stringValue ?? "" })
        #expect(subdomains.isSuperset(of: ["track", "playlist", "album", "artist", "sptfy.in", "podcast", "profile", "play", ""]))
        #expect(links.contains { $0.values["user"] == "" } && links.contains { $0.values["user"] != "" })
        let oldest = clicks.compactMap { $0.values["created"]?.stringValue }.min() ?? ""
        #expect(oldest < "2026-08-15" && oldest >= "2026-07-29", "clicks span the last 120 days: \(oldest)")
        #expect(clicks.contains { $0.values["utm_country"] == " " })
        let agents = Set(clicks.compactMap { $0.values["utm_userAgent"]?.stringValue })
        for marker in ["Instagram", "FBAN", "Edg/", "Firefox", "Googlebot", "Version/18"] { #expect(agents.contains { $0.contains(marker) }, "\(marker)") }
        #expect(world.records(in: "testCollection").allSatisfy { $0.values["field"] == .bool(true) }, "testCollection.field is a required bool")
    }

    @Test func datesUsePocketBaseFormat() {
        let link = FixtureWorld.generate(FixtureOptions(seed: 1, scale: 0, anchor: Self.anchor)).records(in: "random_short")[0]
        #expect(link.values["created"] == .string("2026-08-19 00:00:00.000Z"), "named links are dated from the anchor")
    }
}
