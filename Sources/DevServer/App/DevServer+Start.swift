import Fixtures
import Foundation
import Hummingbird
import Logging
import PocketBase
import NIOCore
import ServiceLifecycle

/// A sptfy-dev running in this process on an ephemeral loopback port, with its own copy of a data dir.
public final class RunningDevServer: Sendable {
    public let baseURL: String
    public let storage: Storage
    let group: ServiceGroup
    let task: Task<Void, any Error>

    init(baseURL: String, storage: Storage, group: ServiceGroup, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.storage = storage
        self.group = group
        self.task = task
    }

    /// Shuts the server down gracefully (open connections are closed) and deletes its data dir.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        try? FileManager.default.removeItem(at: storage.dataDir)
    }
}

extension DevServer {
    /// One call for tests: a server on 127.0.0.1 (ephemeral port) over a private copy of the fixture state (the
    /// world is generated and loaded once per process and options; later starts copy it). Stop it with `stop()`.
    public static func start(
        fixtures: FixtureOptions? = FixtureOptions(), profile: Profile = .production, apps: [any AppLayer]? = nil
    ) async throws -> RunningDevServer {
        let storage = try await DataDirTemplate.shared.freshStorage(fixtures: fixtures, profile: profile)
        let apps = apps ?? profile.apps(SptfyOptions())
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "sptfy-dev")
        logger.logLevel = .warning
        let app = PocketBaseServer.buildApplication(
            router: buildRouter(storage: storage, apps: apps), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: logger,
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            })
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            // A server that fails to bind must not leave the caller waiting for a port.
            defer { continuation.finish() }
            try await group.run()
        }
        var port = 0
        for await p in ports { port = p }
        guard port > 0 else {
            task.cancel()
            throw APIError(.internalServerError, "The dev server did not start.")
        }
        return RunningDevServer(baseURL: "http://127.0.0.1:\(port)", storage: storage, group: group, task: task)
    }
}
