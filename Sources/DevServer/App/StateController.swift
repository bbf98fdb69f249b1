import Foundation
import Hummingbird
import NIOCore

/// `/api/sptfy-dev/reset` and `/api/sptfy-dev/snapshots[/{name}[/restore]]`: put the data back to a saved state.
/// Superusers only, and only over loopback (these endpoints throw data away).
struct StateController {
    let storage: Storage

    func register(on router: Router<AppRequestContext>) {
        router.post("api/sptfy-dev/reset") { _, context in
            try Self.guardAccess(context)
            try await storage.restoreSnapshot(Storage.initialSnapshot)
            return Response(status: .noContent)
        }
        router.get("api/sptfy-dev/snapshots") { _, context in
            try Self.guardAccess(context)
            return Response.json(.array(storage.snapshotNames().map(JSONValue.string)))
        }
        router.post("api/sptfy-dev/snapshots/:name") { _, context in
            try Self.guardAccess(context)
            try await Self.mapErrors { try await storage.saveSnapshot(context.parameters.get("name") ?? "") }
            return Response(status: .noContent)
        }
        router.post("api/sptfy-dev/snapshots/:name/restore") { _, context in
            try Self.guardAccess(context)
            try await Self.mapErrors { try await storage.restoreSnapshot(context.parameters.get("name") ?? "") }
            return Response(status: .noContent)
        }
    }

    static func guardAccess(_ context: AppRequestContext) throws {
        try context.requireSuperuser()
        // In-process (test router) requests have no address and count as local.
        if let ip = context.remoteAddress?.ipAddress, !(ip.hasPrefix("127.") || ip == "::1" || ip == "::ffff:127.0.0.1") {
            throw APIError.forbidden("Only available over loopback.")
        }
    }

    static func mapErrors(_ work: () async throws -> Void) async throws {
        do { try await work() } catch let e as Storage.SnapshotError {
            throw e.description.hasPrefix("No snapshot") ? APIError.notFound(e.description) : APIError.badRequest(e.description)
        }
    }
}
