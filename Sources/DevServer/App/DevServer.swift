import Fixtures
import Foundation
import Hummingbird
import Logging

/// How a DevServer instance is set up.
public struct DevServerConfiguration: Sendable {
    public var dataDir: URL
    public var host: String
    public var port: Int
    public var superuserEmail: String
    public var superuserPassword: String
    /// The fixture world loaded into a fresh data dir (nil: schema and superuser only).
    public var fixtures: FixtureOptions?

    public init(
        dataDir: URL, host: String = "127.0.0.1", port: Int = 8090, superuserEmail: String = DevServerConfiguration.defaultSuperuserEmail,
        superuserPassword: String = DevServerConfiguration.defaultSuperuserPassword, fixtures: FixtureOptions? = nil
    ) {
        self.fixtures = fixtures
        self.dataDir = dataDir
        self.host = host
        self.port = port
        self.superuserEmail = superuserEmail
        self.superuserPassword = superuserPassword
    }

    public static let defaultSuperuserEmail = "admin@sptfy.local"
    public static let defaultSuperuserPassword = "sptfy-dev-password"
}

public enum DevServer {
    /// Opens (and on first use initialises) a data directory: PocketBase system tables, the sptfy.in schema, the
    /// dev superuser and, when configured, the fixture world. Returns the storage and whether it was fresh.
    public static func prepare(_ config: DevServerConfiguration, progress: (@Sendable (Double) -> Void)? = nil) async throws -> (Storage, Bool) {
        let storage = try Storage(dataDir: config.dataDir)
        let fresh = try storage.bootstrapIfNeeded()
        if fresh {
            try await storage.importCollections(try BundledData.sptfySchema(), deleteMissing: false)
            try await storage.upsertSuperuser(email: config.superuserEmail, password: config.superuserPassword)
            try storage.setSpotifyProvider(SpotifyProviderConfig.devStub)
            if let fixtures = config.fixtures { try await storage.loadFixtures(FixtureWorld.generate(fixtures), progress: progress) }
            try await storage.saveSnapshot(Storage.initialSnapshot)
        }
        return (storage, fresh)
    }

    /// The router with every PocketBase-compatible route and middleware, and the app layers' hooks and routes
    /// (by default sptfy.in's, with every outside service stubbed in-process).
    public static func buildRouter(storage: Storage, spotify: SpotifyStub = SpotifyStub(), apps: [any AppLayer] = [SptfyApp()])
        -> Router<AppRequestContext>
    {
        var hooks = Hooks()
        for app in apps { app.bind(&hooks) }
        // Go's mux answers HEAD for every GET route.
        let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: CORSMiddleware())
        router.add(middleware: ConventionsMiddleware())
        router.add(middleware: AuthMiddleware(storage: storage))
        HealthController().register(on: router)
        CollectionsController(storage: storage).register(on: router)
        AuthController(storage: storage, stub: spotify, mailbox: DevMailbox(dataDir: storage.dataDir), hooks: hooks).register(on: router)
        spotify.register(on: router)
        let records = RecordsController(storage: storage, hooks: hooks)
        records.register(on: router)
        BatchController(storage: storage, records: records).register(on: router)
        SettingsController(storage: storage).register(on: router)
        FilesController(storage: storage).register(on: router)
        StateController(storage: storage).register(on: router)
        for app in apps { app.registerRoutes(on: router, storage: storage) }
        return router
    }

    /// The application tests and the CLI run.
    public static func buildApplication(
        storage: Storage, host: String = "127.0.0.1", port: Int = 8090, logger: Logger? = nil, apps: [any AppLayer] = [SptfyApp()]
    ) -> some ApplicationProtocol {
        var log = logger ?? Logger(label: "sptfy-dev")
        if logger == nil { log.logLevel = .warning }
        return Application(
            router: GoRequestNormalizer(buildRouter(storage: storage, apps: apps)), server: GoHTTPServer.builder,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            logger: log)
    }
}
