import ContractSuite
import DevServer
import Fixtures
import Foundation
import Testing

/// `FixtureParity` (what `sptfy-dev fixture-parity` runs): two instances seeded through the API with the same
/// world agree; a changed one is reported.
@Suite struct FixtureParityTests {
    @Test func seededInstancesAgreeAndDifferencesAreReported() async throws {
        let (a, b) = (try await DevServer.start(fixtures: nil), try await DevServer.start(fixtures: nil))
        let world = FixtureWorld.generate(FixtureOptions(seed: 9, scale: 0))
        for server in [a, b] {
            let summary = try await FixtureSeeder(
                baseURL: server.baseURL, email: DevServerConfiguration.defaultSuperuserEmail, password: DevServerConfiguration.defaultSuperuserPassword
            ).seed(world)
            #expect(summary.created == world.recordCount + world.spotifyLinks.count)
        }
        let again = try await FixtureSeeder(
            baseURL: a.baseURL, email: DevServerConfiguration.defaultSuperuserEmail, password: DevServerConfiguration.defaultSuperuserPassword
        ).seed(world)
        #expect(again == FixtureSeeder.Summary(created: 0, existing: world.recordCount + world.spotifyLinks.count), "seeding is idempotent")
        #expect(try await FixtureParity.differences(RemoteClient(baseURL: a.baseURL), RemoteClient(baseURL: b.baseURL)).isEmpty)
        try await b.storage.pool.write { db in try db.execute(sql: "UPDATE analytics SET utm_country = 'ZZ' WHERE rowid IN (SELECT rowid FROM analytics LIMIT 3)") }
        let differences = try await FixtureParity.differences(RemoteClient(baseURL: a.baseURL), RemoteClient(baseURL: b.baseURL))
        #expect(differences.count == 4 && differences.allSatisfy { $0.hasPrefix("admin stats days=") }, "\(differences)")
        await a.stop()
        await b.stop()
    }
}
