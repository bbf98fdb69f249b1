import Fixtures
import Foundation
import Hummingbird
import Logging
import PocketBase

public enum DevServer {
    /// Opens (and on first use initialises) a data directory: PocketBase system tables, the schema (the app's
    /// `pb_migrations` when the configuration names a folder with files, else the bundled sptfy.in schema), the dev
    /// superuser and, when configured, the fixture world. Pending migrations are applied on every open (`log` gets
    /// PocketBase's `applying migration <file>` lines); a failing one throws `MigrationRunner.Failure`.
    /// Returns the storage and whether it was fresh.
    public static func prepare(
        _ config: DevServerConfiguration, progress: (@Sendable (Double) -> Void)? = nil, log: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> (Storage, Bool) {
        // An empty data dir starts from the cached template when there is one (see StartTemplate); any trouble
        // with it falls back to building the dir.
        let dataFile = config.dataDir.appendingPathComponent("data.db")
        let template = FileManager.default.fileExists(atPath: dataFile.path) ? nil : StartTemplate(config)
        let templated = (try? template?.restore(into: config.dataDir)) ?? false
        let storage = try Storage(dataDir: config.dataDir)
        let fresh = try storage.bootstrapIfNeeded() || templated
        let runner = config.migrationsDir.map { MigrationRunner(storage: storage, directory: $0) }
        let fromMigrations = try runner.map { try !$0.files().isEmpty } ?? false
        if fresh && !templated {
            if !fromMigrations { try await storage.importCollections(try config.profile.collections(), deleteMissing: false) }
            if config.createSuperuser { try await storage.upsertSuperuser(email: config.superuserEmail, password: config.superuserPassword) }
        }
        if let runner { try await runner.up(log: log) }
        // Every start: the configured provider (stub or real Spotify) replaces the stored one if it differs.
        try storage.setSpotifyProvider(config.spotify)
        if fresh && !templated {
            if let fixtures = config.fixtures, config.profile == .guide {
                do {
                    try await storage.loadGuideFixtures(fixtures, app: GuideApp(config.sptfy, ipHashSalt: config.ipHashSalt))
                } catch {
                    log("fixtures skipped: they do not fit the schema (\(error))")
                }
            } else if let fixtures = config.fixtures {
                let world = FixtureWorld.generate(fixtures)
                if let missing = world.collectionOrder.first(where: { storage.collection($0) == nil }) {
                    log("fixtures skipped: the schema has no \(missing) collection")
                } else {
                    do {
                        try await storage.loadFixtures(world, progress: progress)
                    } catch {
                        // One transaction: nothing of the world stays behind.
                        log("fixtures skipped: they do not fit the schema (\(error))")
                    }
                }
            }
            try await storage.saveSnapshot(Storage.initialSnapshot)
            template?.save(from: storage)
        }
        return (storage, fresh)
    }

    /// The engine's router with sptfy.in's layers (by default its hooks and routes with every outside service stubbed
    /// in-process), the offline Spotify provider and the dev endpoints.
    public static func buildRouter(
        storage: Storage, spotify: SpotifyStub = SpotifyStub(), apps: [any AppLayer] = [SptfyApp()], automigrate: Automigrate? = nil,
        details: DevDetails = DevDetails(), dashboard: Dashboard = Dashboard()
    ) -> Router<AppRequestContext> {
        let mailbox = DevMailbox(dataDir: storage.dataDir)
        let sptfy = apps.lazy.compactMap { ($0 as? SptfyApp)?.options }.first
        var details = details
        details.automigrateDir = details.automigrateDir ?? automigrate?.directory
        details.turnstileSecret = details.turnstileSecret ?? sptfy?.cfSecretKey
        let dev = DevEndpoints(spotify: spotify, mailbox: mailbox, turnstile: sptfy?.turnstile, details: details)
        return PocketBaseServer.buildRouter(
            storage: storage, apps: apps + [dev, dashboard], oauth2: spotify, mailbox: mailbox, automigrate: automigrate)
    }

    /// The application `sptfy-dev serve` runs: one configuration, resolved from flags, environment and `.env`.
    public static func buildApplication(configuration: DevServerConfiguration, storage: Storage, logger: Logger) -> some ApplicationProtocol {
        PocketBaseServer.buildApplication(
            router: buildRouter(
                storage: storage, apps: configuration.apps, automigrate: configuration.automigrateDir.map(Automigrate.init(directory:)),
                details: DevDetails(fixtures: configuration.fixtures, realSpotify: configuration.spotify.stubBaseURL == nil)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil), logger: logger)
    }

    /// The application tests run (defaults: loopback, sptfy.in's layer with its stubs in-process).
    public static func buildApplication(
        storage: Storage, host: String = "127.0.0.1", port: Int = 8090, logger: Logger? = nil, apps: [any AppLayer] = [SptfyApp()]
    ) -> some ApplicationProtocol {
        var log = logger ?? Logger(label: "sptfy-dev")
        if logger == nil { log.logLevel = .warning }
        return PocketBaseServer.buildApplication(
            router: buildRouter(storage: storage, apps: apps), configuration: .init(address: .hostname(host, port: port), serverName: nil),
            logger: log)
    }
}
