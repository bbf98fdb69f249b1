import Foundation
import Hummingbird
import Logging
import NIOCore

/// Builds the PocketBase-compatible server: every route and middleware of the engine plus the app layers' hooks and
/// routes. Nothing here knows the app; the sptfy.in dev server passes its layers in.
public enum PocketBaseServer {
    /// The router. `oauth2` answers providers configured with relative URLs in-process; `mailbox` captures mail;
    /// `automigrate` writes a migration for every collection change through the API (nil: off).
    public static func buildRouter(
        storage: Storage, apps: [any AppLayer], oauth2: (any InProcessOAuth2Provider)? = nil, mailbox: DevMailbox? = nil,
        automigrate: Automigrate? = nil
    ) -> Router<AppRequestContext> {
        var hooks = Hooks()
        for app in apps { app.bind(&hooks) }
        // Go's mux answers HEAD for every GET route.
        let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: CORSMiddleware())
        router.add(middleware: ConventionsMiddleware())
        router.add(middleware: AuthMiddleware(storage: storage))
        router.add(middleware: ActivityLogMiddleware(storage: storage))
        router.add(middleware: RateLimitMiddleware(storage: storage))
        router.add(middleware: GoRoutingMiddleware())
        HealthController(storage: storage).register(on: router)
        CollectionsController(storage: storage, automigrate: automigrate).register(on: router)
        let mailbox = mailbox ?? DevMailbox(dataDir: storage.dataDir)
        AuthController(storage: storage, inProcessOAuth2: oauth2, mailbox: mailbox, hooks: hooks).register(on: router)
        let records = RecordsController(storage: storage, hooks: hooks)
        records.register(on: router)
        BatchController(storage: storage, records: records).register(on: router)
        SettingsController(storage: storage, mailbox: mailbox).register(on: router)
        FilesController(storage: storage).register(on: router)
        LogsController(storage: storage).register(on: router)
        RealtimeController(storage: storage).register(on: router)
        BackupsController(storage: storage).register(on: router)
        for app in apps { app.registerRoutes(on: router, storage: storage) }
        return router
    }

    /// The application behind Go's HTTP conventions (header limits, parser errors, path decoding).
    public static func buildApplication(
        router: Router<AppRequestContext>, configuration: ApplicationConfiguration, logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: GoRequestNormalizer(router), server: GoHTTPServer.builder, configuration: configuration,
            onServerRunning: onServerRunning, logger: logger)
    }
}
