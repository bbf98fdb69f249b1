import ContractSuite
import DevServer
import Fixtures
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import PBJSON
import Testing

/// `serve --profile guide`: the guide's contract scenarios in-process and over a socket (CI runs them on the
/// reference PocketBase with `scripts/reference-pb_hooks-guide/` too), its fixture world, and the pieces the
/// scenarios can't see.
@Suite struct GuideProfileTests {
    static func target(_ client: any ContractClient) -> ContractTarget {
        ContractTarget(
            client: client, superuserEmail: DevServerConfiguration.defaultSuperuserEmail,
            superuserPassword: DevServerConfiguration.defaultSuperuserPassword, capabilities: [.http, .cors, .spotifyStub, .turnstileStub],
            turnstile: client)
    }

    @Test(arguments: Scenarios.guide)
    func inProcess(_ scenario: Scenario) async throws {
        let storage = try await DataDirTemplate.shared.freshStorage(fixtures: nil, profile: .guide)
        defer { try? FileManager.default.removeItem(at: storage.dataDir) }
        try await DevServer.buildApplication(storage: storage, apps: Profile.guide.apps(SptfyOptions())).test(.router) { client in
            if let failure = await ContractRunner.run(scenario, on: Self.target(InProcessClient(client: client))) {
                Issue.record(Comment(rawValue: failure))
            }
        }
    }

    @Test func liveServer() async throws {
        let server = try await DevServer.start(fixtures: nil, profile: .guide)
        let summary = await ContractRunner.run(Scenarios.guide, on: Self.target(RemoteClient(baseURL: server.baseURL))) { _ in }
        await server.stop()
        for (name, failure) in summary.failures { Issue.record(Comment(rawValue: "\(name): \(failure)")) }
        #expect(summary.passed == Scenarios.guide.count)
    }

    /// The fixture world: named users without usernames, clicks stored hashed with countries, utm_view = clicks,
    /// blocks of both types with one expired — and the expired one really lets its address through.
    @Test func fixtureWorld() async throws {
        let server = try await DevServer.start(profile: .guide)
        defer { Task { await server.stop() } }
        let storage = server.storage
        let (clicks, hashed, withCountry) = try await storage.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM analytics WHERE link = ?", arguments: [NamedFixtures.aliceTrack.id]) ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM analytics WHERE length(ip) = 64") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM analytics WHERE length(country_code) = 2") ?? 0
            )
        }
        #expect(clicks == NamedFixtures.aliceTrack.clicks)
        let total = NamedFixtures.links.map(\.clicks).reduce(0, +)
        #expect(hashed == total && withCountry == total)
        let views = try await storage.read { db in try Int.fetchOne(db, sql: "SELECT utm_view FROM random_short WHERE id = ?", arguments: [NamedFixtures.aliceTrack.id]) }
        #expect(views == NamedFixtures.aliceTrack.clicks)
        let blocks = try await storage.read { db in try String.fetchAll(db, sql: "SELECT type || ':' || value || ':' || (expires != '') FROM blocks ORDER BY value") }
        #expect(blocks == ["ip:\(GuideFixtures.expiredBlockIP):1", "ip:\(GuideFixtures.blockedIP):1", "user:\(NamedFixtures.carol.id):0"])
        // Through the API: the active IP block stops clicks, the expired one doesn't.
        let client = RemoteClient(baseURL: server.baseURL)
        let login = try await client.send(ContractRequest(
            "POST", "/api/collections/_superusers/auth-with-password", headers: [("Content-Type", "application/json")],
            body: Array(#"{"identity":"\#(DevServerConfiguration.defaultSuperuserEmail)","password":"\#(DevServerConfiguration.defaultSuperuserPassword)"}"#.utf8)))
        let su = try login.json()["token"]?.stringValue ?? ""
        let proxy = try await client.send(ContractRequest(
            "PATCH", "/api/settings", headers: [("Content-Type", "application/json"), ("Authorization", su)],
            body: Array(#"{"trustedProxy":{"headers":["X-Forwarded-For"],"useLeftmostIP":false}}"#.utf8)))
        #expect(proxy.status == 200)
        func click(_ ip: String) async throws -> Int {
            try await client.send(ContractRequest("POST", "/api/sptfy/click/\(NamedFixtures.aliceTrack.slug)", headers: [("X-Forwarded-For", ip)], body: nil)).status
        }
        #expect(try await click(GuideFixtures.blockedIP) == 403)
        #expect(try await click(GuideFixtures.expiredBlockIP) == 200)
    }

    /// `serve` refuses to run one profile's hooks on the other's data dir: it can tell them apart.
    @Test func detectsWhichProfileMadeADataDir() async throws {
        let guide = try await DataDirTemplate.shared.freshStorage(fixtures: nil, profile: .guide)
        let production = try await DataDirTemplate.shared.freshStorage(fixtures: nil, profile: .production)
        defer { for s in [guide, production] { try? FileManager.default.removeItem(at: s.dataDir) } }
        #expect(Profile.detect(guide) == .guide)
        #expect(Profile.detect(production) == .production)
    }

    /// The salted hash the guide documents (docs/guide-profile.md, checked with sha256sum), and the referrer origin.
    @Test func ipHashAndReferrerOrigin() {
        let app = GuideApp()
        #expect(app.hashIP("8.8.8.8") == "6a4b92600a82cc2947db396a2b0b3b92290b89f8dfb57c030a1165c936900283")
        #expect(app.hashIP("127.0.0.1") == "aef2c1c6739577cd65a085cd2a9087dae3737427761fa0254d5db80ce95e6b93")
        #expect(GuideApp(ipHashSalt: "").hashIP("8.8.8.8") == app.hashIP("8.8.8.8"), "an empty salt means the default")
        #expect(GuideApp(ipHashSalt: "other").hashIP("8.8.8.8") != app.hashIP("8.8.8.8"))
        let cases: [(String, String)] = [
            ("https://User:pw@WWW.Instagram.com:443/p/abc?utm=1#x", "https://www.instagram.com"), ("http://a.b:80/x", "http://a.b"),
            ("http://a.b:8080", "http://a.b:8080"), ("HTTPS://T.CO", "https://t.co"), ("android-app://com.x", ""), ("", ""), ("https://", ""),
            ("https://@/", ""), ("https://a b", "https://a"), ("ftp://x.y", ""),
        ]
        for (raw, origin) in cases { #expect(GuideApp.referrerOrigin(raw) == origin, "\(raw)") }
    }
}
