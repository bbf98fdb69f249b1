import ArgumentParser
import ContractSuite
import DevServer
import Foundation
import Hummingbird
import Logging

struct BenchFilter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-filter", abstract: "Time filter parse+resolve against the query it builds (use a release build).")

    @Option(help: "Links to seed.") var links = 20000
    @Option(help: "Iterations per case.") var iterations = 2000

    func run() async throws {
        print("filter benchmark: \(links) links, \(iterations) iterations per case")
        for r in try await FilterBenchmark.run(links: links, iterations: iterations) { print(r) }
    }
}
