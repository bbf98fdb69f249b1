import ArgumentParser
import ContractSuite
import DevServer
import Foundation
import ServiceLifecycle
import Hummingbird
import Fixtures
import Logging
import TurnstileStub

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

    @Flag(help: "Start an empty data dir without the fixture world.")
    var noFixtures = false

    @Option(help: "Multiply the fixture world's bulk data (users, links, clicks).")
    var fixturesScale = 1

    @Option(help: "Seed of the fixture world (same seed, same data).")
    var fixturesSeed: UInt64 = 42

    @OptionGroup var migrations: MigrationsDirOption

    @Option(help: "Write a migration for every collection change made through the API (like PocketBase).")
    var automigrate = true

    @Flag(help: "Start a fresh data dir without the dev superuser: the dashboard's first-run setup creates one (like PocketBase).")
    var noSuperuser = false

    @Flag(help: "Print every log line (requests, hooks) to stdout, like `pocketbase serve --dev`.")
    var dev = false

    @Option(help: "Data model: `production` (what sptfy.in runs) or `guide` (its Database Setup guide's model; docs/guide-profile.md).")
    var profile: Profile = .production

    func run() async throws {
        let (host, port) = try HostPort.parse(http)
        guard allowRemote || HostPort.isLoopback(host) else {
            throw ValidationError("Refusing to bind \(host): pass --allow-remote to listen on a non-loopback address.")
        }
        var logger = Logger(label: "sptfy-dev")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var hookLogger = logger
        hookLogger[metadataKey: "hooks"] = "sptfy"
        // One configuration from the flags, the environment and `.env`, handed to prepare and the application.
        var config: DevServerConfiguration
        do {
            config = try DevServerConfiguration.resolve(
                dataDir: data.url, host: host, port: port, fixtures: noFixtures ? nil : FixtureOptions(seed: fixturesSeed, scale: fixturesScale),
                realSpotify: spotify == .real, migrationsDir: migrations.existing(dataDir: data.url),
                automigrateDir: automigrate ? migrations.folder(dataDir: data.url) : nil, profile: profile, environment: .load(), logger: hookLogger)
        } catch let e as ConfigurationError {
            throw ValidationError(e.description)
        }
        config.createSuperuser = !noSuperuser
        let (storage, fresh) = try await MigrationsDirOption.reporting {
            try await DevServer.prepare(config, progress: fixturesScale >= 10 ? ProgressBar.fixtures : nil, log: { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) })
        }
        // The hooks must match the schema: a data dir made by the other profile would half-work.
        if let made = Profile.detect(storage), made != profile {
            throw ValidationError("\(data.url.path) holds the \(made.rawValue) profile's schema; --profile \(profile.rawValue) needs its own data dir (pass another --dir).")
        }
        let sptfy = config.sptfy
        if dev { storage.logs.printToConsole { FileHandle.standardOutput.write(Data($0.utf8)) } }
        let app = DevServer.buildApplication(configuration: config, storage: storage, logger: logger)
        var banner = "sptfy-dev: PocketBase 0.23.12-compatible server\n"
        banner += "  REST API:  http://\(host):\(port)/api/\n"
        if let dir = config.migrationsDir { banner += "  migrations: \(dir.path)\(automigrate ? " (automigrate on)" : "")\n" }
        banner += "  data dir:  \(data.url.path)\(fresh ? " (new: \(config.migrationsDir == nil ? profile == .guide ? "guide schema imported" : "sptfy.in schema imported" : "schema from the migrations")\(noFixtures || storage.collection("random_short") == nil ? "" : ", fixtures seed \(fixturesSeed) scale \(fixturesScale)"))" : "")\n"
        if fresh && !noFixtures, storage.collection("random_short") != nil {
            let logins = NamedFixtures.users.map { "\(profile == .guide ? $0.email : $0.username)/\($0.password)" }
            banner += "  fixtures:  users \(logins.joined(separator: ", ")); links \(NamedFixtures.links.map(\.slug).joined(separator: ", "))\n"
            if profile == .guide {
                banner += "  blocks:    user \(NamedFixtures.carol.email), ip \(GuideFixtures.blockedIP) (30 days), ip \(GuideFixtures.expiredBlockIP) (expired)\n"
                banner += "  clicks:    POST http://\(host):\(port)/api/sptfy/click/{id_url}\n"
            }
        }
        if fresh && config.createSuperuser { banner += "  superuser: \(config.superuserEmail) / \(config.superuserPassword)\n" }
        banner += "  dashboard: http://\(host):\(port)/_/\n"
        banner += "  frontend:  VITE_POCKETBASE_URL=http://\(host):\(port)\n"
        banner += "  spotify:   \(spotify == .stub ? "offline stub at http://\(host):\(port)\(SpotifyStub.prefix)/authorize (accounts: \(SpotifyStub.fixtureAccounts.map(\.id).joined(separator: ", ")))" : "real Spotify")\n"
        banner += "  turnstile: \(sptfy.turnstileVerifyURL ?? "in-process stub at http://\(host):\(port)/turnstile/v0/siteverify")"
        banner += ", secret \(sptfy.cfSecretKey.map { TurnstileStub.describeSecret($0) } ?? "(none)")\(sptfy.turnstile.options.strict ? ", strict" : "")\n"
        banner += "  ip-api:    \(sptfy.ipAPIURL ?? "in-process stub at http://\(host):\(port)\(IPAPIStub.inProcessPrefix)/json/{ip}")\n"
        // PocketBase's installer: while no superuser exists, a 30-minute one-time link creates the first one.
        if let token = try await storage.installerToken() {
            banner += "\n(!) Launch the URL below in the browser if it hasn't been open already to create your first superuser account:\n"
            banner += "http://\(host):\(port)/_/#/pbinstal/\(token)\n"
            banner += "(you can also create your first superuser by running: sptfy-dev superuser upsert EMAIL PASS)\n\n"
        }
        // Written unbuffered so it shows up at once even when stdout is a pipe or file.
        FileHandle.standardOutput.write(Data(banner.utf8))
        // The HTTP server and PocketBase's scheduler (system jobs, scheduled backups) stop together.
        try await ServiceGroup(configuration: .init(services: [app, CronService(storage: storage)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            .run()
    }
}


enum SpotifyMode: String, ExpressibleByArgument, Sendable {
    case stub, real
}

/// A one-line progress bar on stderr for large fixture loads.
enum ProgressBar {
    static let fixtures: @Sendable (Double) -> Void = { fraction in
        let width = 30, done = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: done) + String(repeating: ".", count: width - done)
        FileHandle.standardError.write(Data("\rloading fixtures [\(bar)] \(Int(fraction * 100))%\(fraction >= 1 ? "\n" : "")".utf8))
    }
}
extension Profile: ExpressibleByArgument {}
