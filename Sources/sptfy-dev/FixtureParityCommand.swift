import ArgumentParser
import ContractSuite
import Foundation

struct FixtureParityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixture-parity",
        abstract: "Compare two instances seeded with the same fixtures: admin stats for every days value, top and recent lists.")
    @Argument(help: "Base URL of the first instance.") var a: String
    @Argument(help: "Base URL of the second instance.") var b: String

    func run() async throws {
        let differences = try await FixtureParity.differences(RemoteClient(baseURL: a), RemoteClient(baseURL: b))
        for d in differences { print(d) }
        print(differences.isEmpty ? "fixture parity: \(a) and \(b) agree (admin stats 0/7/30/90, top links, recent and click totals)" : "fixture parity: \(differences.count) difference(s)")
        if !differences.isEmpty { throw ExitCode(1) }
    }
}
