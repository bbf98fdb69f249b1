import ArgumentParser
import DevServer
import Fixtures
import Foundation

struct BenchFixtures: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-fixtures", abstract: "Time generating and loading the fixture world into a fresh data dir (use a release build).")

    @Option(help: "Fixture scale (200 ≈ 1,000,000 clicks).") var scale = 200
    @Option(help: "Fixture seed.") var seed: UInt64 = 42

    func run() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (storage, _) = try await DevServer.prepare(DevServerConfiguration(dataDir: dir))
        let clock = ContinuousClock()
        var world: FixtureWorld?
        let generate = clock.measure { world = FixtureWorld.generate(FixtureOptions(seed: seed, scale: scale)) }
        let load = try await clock.measure { try await storage.loadFixtures(world!) }
        print("fixtures scale \(scale): \(world!.recordCount) records (\(world!.clickCount) clicks)")
        print("  generate \(generate)  load \(load)  total \(generate + load)")
        // DevServer.start with the default fixtures: the first call builds the template, later ones copy it.
        let first = try await clock.measure { await (try DevServer.start()).stop() }
        var starts: [Duration] = []
        for _ in 0..<10 {
            var server: RunningDevServer?
            starts.append(try await clock.measure { server = try await DevServer.start() })
            await server?.stop()
        }
        starts.sort()
        print("DevServer.start (default fixtures): first \(first) (builds the template), then median \(starts[5]), max \(starts[9])")
    }
}
