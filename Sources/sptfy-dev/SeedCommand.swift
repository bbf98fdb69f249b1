import ArgumentParser
import DevServer
import Fixtures
import Foundation

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Write the fixture world into any PocketBase-compatible instance through its API (idempotent).",
        discussion: "Superuser credentials from --email/--password or SPTFY_DEV_SUPERUSER_EMAIL/SPTFY_DEV_SUPERUSER_PASSWORD.")

    @Option(help: "Base URL of the instance.") var target: String
    @Option(help: "Superuser email.") var email: String?
    @Option(help: "Superuser password.") var password: String?
    @Option(help: "Fixture scale.") var scale = 1
    @Option(help: "Fixture seed.") var seed: UInt64 = 42
    @Option(help: "Batch requests: auto (when the target's settings enable them), always, never.")
    var batch = FixtureSeeder.BatchMode.auto

    func run() async throws {
        let login = DevServerConfiguration.superuserCredentials(email: email, password: password, environment: .load())
        var seeder = FixtureSeeder(baseURL: target, email: login.email, password: login.password)
        seeder.concurrency = 8
        seeder.batch = batch
        let world = FixtureWorld.generate(FixtureOptions(seed: seed, scale: scale))
        let clock = ContinuousClock()
        var summary = FixtureSeeder.Summary()
        let took = try await clock.measure {
            summary = try await seeder.seed(world) { done, total in
                if done == total || done % 500 < 100 {
                    FileHandle.standardError.write(Data("\rseeding \(done)/\(total)\(done == total ? "\n" : "")".utf8))
                }
            }
        }
        let how = summary.batches > 0 ? " (\(summary.batches) batch requests)" : summary.created > 0 ? " (plain requests)" : ""
        print("seeded \(target): \(summary.created) created, \(summary.existing) already there, in \(took)\(how)")
    }
}

extension FixtureSeeder.BatchMode: ExpressibleByArgument {}
