import ContractSuite
import DevServer
import Fixtures
import Foundation
import Testing

/// `FixtureParity` (what `sptfy-dev fixture-parity` runs): two instances seeded through the API with the same
/// world — one with plain requests, one through the batch API — agree; a changed one is reported.
@Suite struct FixtureParityTests {
    static func seeder(_ server: RunningDevServer) -> FixtureSeeder {
        FixtureSeeder(baseURL: server.baseURL, email: DevServerConfiguration.defaultSuperuserEmail, password: DevServerConfiguration.defaultSuperuserPassword)
    }

    @Test func seededInstancesAgreeAndDifferencesAreReported() async throws {
        let (a, b) = (try await DevServer.start(fixtures: nil), try await DevServer.start(fixtures: nil))
        let world = FixtureWorld.generate(FixtureOptions(seed: 9, scale: 0))
        let all = world.recordCount + world.spotifyLinks.count
        // a: batch API off (PocketBase's default) → plain requests; `always` refuses to fall back.
        await #expect(throws: FixtureSeeder.Failure.self) {
            var strict = Self.seeder(a)
            strict.batch = .always
            _ = try await strict.seed(world)
        }
        #expect(try await Self.seeder(a).seed(world) == FixtureSeeder.Summary(created: all))
        // b: switched on through the settings API → batches of up to 40.
        let client = RemoteClient(baseURL: b.baseURL)
        let login = try await client.send(ContractRequest(
            "POST", "/api/collections/_superusers/auth-with-password", headers: [("Content-Type", "application/json")],
            body: Array(#"{"identity":"\#(DevServerConfiguration.defaultSuperuserEmail)","password":"\#(DevServerConfiguration.defaultSuperuserPassword)"}"#.utf8)))
        let token = try login.json()["token"]?.stringValue ?? ""
        let enabled = try await client.send(ContractRequest(
            "PATCH", "/api/settings", headers: [("Content-Type", "application/json"), ("Authorization", token)],
            body: Array(#"{"batch":{"enabled":true,"maxRequests":40}}"#.utf8)))
        #expect(enabled.status == 200)
        let batched = try await Self.seeder(b).seed(world)
        #expect(batched.created == all && batched.existing == 0)
        #expect(batched.batches == world.collectionOrder.map { world.records(in: $0).count }.reduce(0) { $0 + ($1 + 39) / 40 } + (world.spotifyLinks.count + 39) / 40)
        // Again, with three clicks lost meanwhile: their batch is refused (ids taken), sent again without the records that
        // exist, and only the three are created; every other batch finds all of its records.
        try await b.storage.write { db in try db.execute(sql: "DELETE FROM analytics WHERE rowid IN (SELECT rowid FROM analytics ORDER BY rowid LIMIT 3)") }
        #expect(try await Self.seeder(b).seed(world) == FixtureSeeder.Summary(created: 3, existing: all - 3, batches: 1))
        #expect(try await Self.seeder(b).seed(world) == FixtureSeeder.Summary(created: 0, existing: all), "seeding is idempotent")
        #expect(try await FixtureParity.differences(RemoteClient(baseURL: a.baseURL), RemoteClient(baseURL: b.baseURL)).isEmpty)
        try await b.storage.write { db in try db.execute(sql: "UPDATE analytics SET utm_country = 'ZZ' WHERE rowid IN (SELECT rowid FROM analytics LIMIT 3)") }
        let differences = try await FixtureParity.differences(RemoteClient(baseURL: a.baseURL), RemoteClient(baseURL: b.baseURL))
        #expect(differences.count == 4 && differences.allSatisfy { $0.hasPrefix("admin stats days=") }, "\(differences)")
        await a.stop()
        await b.stop()
    }
}
