import ArgumentParser
import ContractSuite
import DevServer
import Foundation
import Hummingbird
import Logging



@main

struct SptfyDev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sptfy-dev",
        abstract: "A local, offline PocketBase 0.23.12-compatible backend for sptfy.in.",
        subcommands: [
            Serve.self, MigrateCommand.self, SchemaCommand.self, BackupCommand.self, SuperuserCommand.self, UserCommand.self, MailCommand.self, Contract.self, SpotifyStubCommand.self,
            TurnstileStubCommand.self, TurnstileLogCommand.self, TurnstileExtensionCommand.self, IPAPIStubCommand.self, ResetCommand.self, SnapshotCommand.self, SeedCommand.self, FixtureParityCommand.self, BenchFilter.self, BenchFixtures.self,
        ],
        defaultSubcommand: Serve.self)
}

/// Options shared by commands that open a data directory.

struct DataDirOptions: ParsableArguments {
    @Option(name: .customLong("dir"), help: "The pb_data directory.")
    var dir: String = "pb_data"

    var url: URL { URL(fileURLWithPath: dir, isDirectory: true) }
}

/// A failure reported without the usage text (the arguments were fine; the operation was not).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

enum HostPort {
    static func parse(_ s: String) throws -> (String, Int) {
        guard let i = s.lastIndex(of: ":"), let port = Int(s[s.index(after: i)...]), (0...65535).contains(port) else {
            throw ValidationError("--http must be HOST:PORT, got \(s)")
        }
        var host = String(s[..<i])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// The standalone stub commands: parse `--http`, refuse non-loopback without `--allow-remote`, print a banner,
/// serve until stopped.
enum StandaloneStub {
    static func run(
        label: String, http: String, allowRemote: Bool, banner: (String, Int) -> String, register: (Router<BasicRequestContext>) -> Void
    ) async throws {
        let (host, port) = try HostPort.parse(http)
        guard allowRemote || HostPort.isLoopback(host) else { throw ValidationError("Refusing to bind \(host) without --allow-remote.") }
        let router = Router()
        register(router)
        var logger = Logger(label: label)
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
        // Written unbuffered so it shows up at once when stdout is a file (the reference script's logs).
        FileHandle.standardOutput.write(Data(banner(host, port).utf8))
        try await app.runService()
    }
}
