import Foundation
import Hummingbird
import NIOCore
import PocketBase
import TurnstileStub

/// Everything the dev server adds beside PocketBase's API, in one place: the offline Spotify provider's pages
/// (`/_spotify/*`) and the `api/sptfy-dev/*` endpoints — reset and snapshots, the captured mailbox, the Turnstile
/// verifications. The `api/sptfy-dev/*` ones are for superusers, and the state ones only over loopback (they throw
/// data away).
struct DevEndpoints: AppLayer {
    let spotify: SpotifyStub
    let mailbox: DevMailbox
    let turnstile: TurnstileStub?
    var details = DevDetails()

    func bind(_ hooks: inout Hooks) {}

    func registerRoutes(on router: Router<AppRequestContext>, storage: Storage) {
        spotify.register(on: router)
        router.post("api/sptfy-dev/reset") { _, context in
            try Self.guardLocal(context)
            try await storage.restoreSnapshot(Storage.initialSnapshot)
            return Response(status: .noContent)
        }
        router.get("api/sptfy-dev/snapshots") { _, context in
            try Self.guardLocal(context)
            return Response.json(.array(storage.snapshotNames().map(JSONValue.string)))
        }
        router.post("api/sptfy-dev/snapshots/:name") { _, context in
            try Self.guardLocal(context)
            try await Self.mapErrors { try await storage.saveSnapshot(context.parameters.get("name") ?? "") }
            return Response(status: .noContent)
        }
        router.post("api/sptfy-dev/snapshots/:name/restore") { _, context in
            try Self.guardLocal(context)
            try await Self.mapErrors { try await storage.restoreSnapshot(context.parameters.get("name") ?? "") }
            return Response(status: .noContent)
        }
        // The captured mailbox, newest last.
        router.get("api/sptfy-dev/mails") { [mailbox] _, context in
            try context.requireSuperuser()
            return Response.json(.array(mailbox.all.map(\.json)))
        }
        if let turnstile {
            router.get("api/sptfy-dev/turnstile") { _, context in
                try context.requireSuperuser()
                return Response.json(.array(await turnstile.verifications().map(\.json)))
            }
        }
        registerDashboardRoutes(on: router, storage: storage)
    }

    static func guardLocal(_ context: AppRequestContext) throws {
        try context.requireSuperuser()
        guard isLoopback(context) else { throw APIError.forbidden("Only available over loopback.") }
    }

    /// In-process (test router) requests have no address and count as local.
    static func isLoopback(_ context: AppRequestContext) -> Bool {
        guard let ip = context.remoteAddress?.ipAddress else { return true }
        return ip.hasPrefix("127.") || ip == "::1" || ip == "::ffff:127.0.0.1"
    }

    static func mapErrors(_ work: () async throws -> Void) async throws {
        do { try await work() } catch let e as Storage.SnapshotError {
            throw e.description.hasPrefix("No snapshot") ? APIError.notFound(e.description) : APIError.badRequest(e.description)
        }
    }
}
