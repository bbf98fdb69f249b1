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
        subcommands: [Serve.self, SuperuserCommand.self, UserCommand.self, MailCommand.self, Contract.self, SpotifyStubCommand.self, BenchFilter.self],
        defaultSubcommand: Serve.self)
}

/// Options shared by commands that open a data directory.
struct DataDirOptions: ParsableArguments {
    @Option(name: .customLong("dir"), help: "The pb_data directory.")
    var dir: String = "pb_data"

    var url: URL { URL(fileURLWithPath: dir, isDirectory: true) }
}

enum Env {
    static func get(_ key: String) -> String? {
        ProcessInfo.processInfo.environment[key].flatMap { $0.isEmpty ? nil : $0 }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the dev server (default 127.0.0.1:8090).")

    @Option(help: "HOST:PORT to listen on.")
    var http: String = "127.0.0.1:8090"

    @OptionGroup var data: DataDirOptions

    @Flag(help: "Allow binding a non-loopback address.")
    var allowRemote = false

    @Option(help: "Log level (trace, debug, info, notice, warning, error).")
    var logLevel: String = "info"

    @Option(help: "Spotify provider: `stub` (offline, default) or `real` (SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET).")
    var spotify: SpotifyMode = .stub

    func run() async throws {
        let (host, port) = try HostPort.parse(http)
        guard allowRemote || HostPort.isLoopback(host) else {
            throw ValidationError("Refusing to bind \(host): pass --allow-remote to listen on a non-loopback address.")
        }
        let config = DevServerConfiguration(
            dataDir: data.url, host: host, port: port,
            superuserEmail: Env.get("SPTFY_DEV_SUPERUSER_EMAIL") ?? DevServerConfiguration.defaultSuperuserEmail,
            superuserPassword: Env.get("SPTFY_DEV_SUPERUSER_PASSWORD") ?? DevServerConfiguration.defaultSuperuserPassword)
        let (storage, fresh) = try await DevServer.prepare(config)
        switch spotify {
        case .stub: try storage.setSpotifyProvider(.devStub)
        case .real:
            guard let id = Env.get("SPOTIFY_CLIENT_ID"), let secret = Env.get("SPOTIFY_CLIENT_SECRET") else {
                throw ValidationError("--spotify real needs SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET in the environment")
            }
            try storage.setSpotifyProvider(SpotifyProviderConfig(clientID: id, clientSecret: secret, stubBaseURL: nil))
        }
        var logger = Logger(label: "sptfy-dev")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let app = DevServer.buildApplication(storage: storage, host: host, port: port, logger: logger)
        var banner = "sptfy-dev: PocketBase 0.23.12-compatible server\n"
        banner += "  REST API:  http://\(host):\(port)/api/\n"
        banner += "  data dir:  \(data.url.path)\(fresh ? " (new: sptfy.in schema imported)" : "")\n"
        if fresh { banner += "  superuser: \(config.superuserEmail) / \(config.superuserPassword)\n" }
        banner += "  frontend:  VITE_POCKETBASE_URL=http://\(host):\(port)\n"
        banner += "  spotify:   \(spotify == .stub ? "offline stub at http://\(host):\(port)\(SpotifyStub.prefix)/authorize (accounts: \(SpotifyStub.fixtureAccounts.map(\.id).joined(separator: ", ")))" : "real Spotify")\n"
        // Written unbuffered so it shows up at once even when stdout is a pipe or file.
        FileHandle.standardOutput.write(Data(banner.utf8))
        try await app.runService()
    }
}

/// A failure reported without the usage text (the arguments were fine; the operation was not).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

enum SpotifyMode: String, ExpressibleByArgument, Sendable {
    case stub, real
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

struct SuperuserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "superuser", abstract: "Manage superusers (like `pocketbase superuser`).", subcommands: [Upsert.self, Delete.self])

    struct Upsert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a superuser or reset its password.")
        @Argument var email: String
        @Argument var password: String
        @OptionGroup var data: DataDirOptions

        func run() async throws {
            let storage = try await SuperuserCommand.open(data)
            do {
                try await storage.upsertSuperuser(email: email, password: password)
            } catch let e as APIError {
                throw CLIError(e.message)
            }
            print("Successfully saved superuser \"\(email)\"!")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a superuser.")
        @Argument var email: String
        @OptionGroup var data: DataDirOptions

        func run() async throws {
            let storage = try await SuperuserCommand.open(data)
            do {
                try await storage.deleteSuperuser(email: email)
            } catch let e as APIError {
                throw CLIError(e.message)
            }
            print("Successfully deleted superuser \"\(email)\"!")
        }
    }

    static func open(_ data: DataDirOptions) async throws -> Storage {
        let storage = try Storage(dataDir: data.url)
        if try storage.bootstrapIfNeeded() {
            try storage.importCollections(try BundledData.sptfySchema(), deleteMissing: false)
        }
        return storage
    }
}

struct Contract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the contract scenarios against any PocketBase-compatible base URL.")

    @Option(help: "Base URL of the instance (or CONTRACT_BASE_URL).")
    var baseUrl: String?

    @Option(help: "Superuser email (or CONTRACT_SUPERUSER_EMAIL).")
    var email: String?

    @Option(help: "Superuser password (or CONTRACT_SUPERUSER_PASSWORD).")
    var password: String?

    @Option(help: "Only run scenarios whose name contains this text.")
    var filter: String?

    @Flag(help: "Skip scenarios tagged destructive.")
    var noDestructive = false

    @Flag(help: "The target has no Spotify stub provider configured (skip OAuth2 scenarios).")
    var noSpotifyStub = false

    func run() async throws {
        guard let base = baseUrl ?? Env.get("CONTRACT_BASE_URL") else {
            throw ValidationError("--base-url or CONTRACT_BASE_URL is required")
        }
        let target = ContractTarget(
            client: RemoteClient(baseURL: base),
            superuserEmail: email ?? Env.get("CONTRACT_SUPERUSER_EMAIL") ?? "admin@sptfy.local",
            superuserPassword: password ?? Env.get("CONTRACT_SUPERUSER_PASSWORD") ?? "sptfy-dev-password",
            capabilities: noSpotifyStub ? [.http, .cors] : [.http, .cors, .spotifyStub])
        // Fail fast with a clear message when the credentials are wrong (every scenario would fail otherwise).
        let probe = try await target.client.send(ContractRequest(
            "POST", "/api/collections/_superusers/auth-with-password", headers: [("Content-Type", "application/json")],
            body: Array(JSONValue.obj(["identity": .string(target.superuserEmail), "password": .string(target.superuserPassword)]).encoded().utf8)))
        guard probe.status == 200 else {
            throw CLIError(
                "superuser login at \(base) failed (HTTP \(probe.status)): check --email/--password or CONTRACT_SUPERUSER_EMAIL/CONTRACT_SUPERUSER_PASSWORD")
        }
        var excluded: Set<ScenarioTag> = []
        if noDestructive { excluded.insert(.destructive) }
        let summary = await ContractRunner.run(Scenarios.all, on: target, nameFilter: filter, excluding: excluded) { line in
            print(line)
        }
        print("\(summary.passed) passed, \(summary.failed) failed, \(summary.skipped) skipped")
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

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

struct SpotifyStubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spotify-stub", abstract: "Serve the offline Spotify OAuth2 stub alone (for real PocketBase's provider URL overrides).")

    @Option(help: "HOST:PORT to listen on.") var http = "127.0.0.1:8091"
    @Flag(help: "Allow binding a non-loopback address.") var allowRemote = false

    func run() async throws {
        let (host, port) = try HostPort.parse(http)
        guard allowRemote || HostPort.isLoopback(host) else { throw ValidationError("Refusing to bind \(host) without --allow-remote.") }
        let stub = SpotifyStub()
        let router = Router()
        stub.register(on: router)
        var logger = Logger(label: "spotify-stub")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
        FileHandle.standardOutput.write(Data("""
            Spotify stub on http://\(host):\(port)\(SpotifyStub.prefix)
              client id / secret: \(stub.clientID) / \(stub.clientSecret)
              authURL \(SpotifyStub.prefix)/authorize  tokenURL \(SpotifyStub.prefix)/api/token  userInfoURL \(SpotifyStub.prefix)/v1/me

            """.utf8))
        try await app.runService()
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a users record with a password (like a fixture user).")
        @Argument(help: "Username.") var username: String
        @Argument(help: "Password (min 8 characters).") var password: String
        @Option(help: "Email.") var email: String = ""
        @Option(help: "Display name.") var name: String = ""
        @Option(help: "Spotify user id.") var spotifyID: String = ""
        @Flag(help: "Mark as onboarded.") var onboarded = false
        @OptionGroup var data: DataDirOptions

        func run() async throws {
            let storage = try await SuperuserCommand.open(data)
            var body = JSONObject([
                ("username", .string(username)), ("password", .string(password)), ("passwordConfirm", .string(password)),
                ("name", .string(name)), ("spotify_id", .string(spotifyID)), ("onboarded", .bool(onboarded)),
            ])
            if !email.isEmpty { body["email"] = .string(email) }
            do {
                let record = try await storage.createRecordAsSuperuser("users", values: body)
                print("Created user \(record.string("username")) (id \(record.id)).")
            } catch let e as APIError {
                throw CLIError(e.message + (e.data.isEmpty ? "" : " " + JSONValue.object(e.data).encoded()))
            }
        }
    }
}

struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mail", abstract: "List the mail the dev server captured instead of sending.")
    @OptionGroup var data: DataDirOptions
    @Flag(help: "Print the HTML bodies too.") var full = false

    func run() async throws {
        let messages = DevMailbox(dataDir: data.url).all
        if messages.isEmpty { print("(no mail)") }
        for m in messages {
            print("\(m.sentAt)  to \(m.to)  \(m.subject)")
            if full { print(m.html + "\n") }
        }
    }
}
