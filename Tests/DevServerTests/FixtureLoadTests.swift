import Fixtures
import Foundation
import GRDB
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// The fixture world loaded into a data dir: named records reachable through the API as documented.
@Suite struct FixtureLoadTests {
    @Test func namedRecordsWorkThroughTheAPI() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fixtures-\(UUID().uuidString)")
        let world = FixtureWorld.generate(FixtureOptions(seed: 5, scale: 1))
        let (storage, fresh) = try await DevServer.prepare(DevServerConfiguration(dataDir: dir, fixtures: world.options))
        #expect(fresh)
        let counts = try await storage.read { db in
            try ["users", "random_short", "analytics", "blocks", "random_short_dev", "testCollection", "_externalAuths"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM `\($0)`") ?? -1
            }
        }
        #expect(Array(counts.prefix(6)) == ["users", "random_short", "analytics", "blocks", "random_short_dev", "testCollection"].map { world.records(in: $0).count })
        #expect(counts[6] == world.spotifyLinks.count)
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            for u in NamedFixtures.users {
                let r = try await client.execute(
                    uri: "/api/collections/users/auth-with-password", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: JSONValue.obj(["identity": .string(u.username), "password": .string(u.password)]).encoded()))
                #expect(r.status == .ok, "\(u.username) logs in")
            }
            let slug = NamedFixtures.aliceTrack.slug
            let lookup = try await client.execute(uri: "/api/collections/viewList/records?filter=id_url%3D'\(slug)'", method: .get)
            let item = try JSONValue.parse(Array(lookup.body.readableBytesView))["items"]?.arrayValue?.first
            #expect(item?["id"] == .string(NamedFixtures.aliceTrack.id) && item?["utm_view"] == .number(Double(NamedFixtures.aliceTrack.clicks)))
            let avatar = try await client.execute(uri: "/api/files/_pb_users_auth_/\(NamedFixtures.carol.id)/\(NamedFixtures.carolAvatar)", method: .get)
            #expect(avatar.status == .ok && Array(avatar.body.readableBytesView) == NamedFixtures.avatarPNG)
            let stats = try await client.execute(uri: "/api/admin/stats?days=0", method: .get)
            let summary = try JSONValue.parse(Array(stats.body.readableBytesView))["summary"]
            #expect(summary?["clicksInRange"] == .number(Double(world.records(in: "analytics").count)))
        }
    }
}
