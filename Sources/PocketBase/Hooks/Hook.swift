import Foundation
import Hummingbird

/// A PocketBase-style hook: handlers run in the order they were bound, each deciding whether (and with what
/// event) to call `next`; the last `next` is the route's own work. Handlers bound with tags only run for those
/// collections (by name or id).
public struct Hook<Event: Sendable>: Sendable {
    public typealias Next = @Sendable (Event) async throws -> Response
    public typealias Handler = @Sendable (Event, _ next: Next) async throws -> Response

    struct Binding: Sendable {
        var tags: Set<String>
        var handler: Handler
    }

    var bindings: [Binding] = []

    public init() {}

    public mutating func bind(tags: [String] = [], _ handler: @escaping Handler) {
        bindings.append(Binding(tags: Set(tags), handler: handler))
    }

    /// Runs the chain for `collection`; whatever escapes is turned into a response error the PocketBase way.
    func trigger(_ event: Event, collection: CollectionModel, _ final: @escaping Next) async throws -> Response {
        let chain = bindings.reversed().reduce(final) { next, binding in
            guard binding.tags.isEmpty || binding.tags.contains(collection.name) || binding.tags.contains(collection.id) else { return next }
            return { event in try await binding.handler(event, next) }
        }
        do { return try await chain(event) } catch { throw HookFailure.apiError(error) }
    }
}

/// PocketBase's error-to-response mapping for errors returned by hooks (`router.ToApiError`).
public enum HookFailure {
    /// The Go `sql.ErrNoRows` of a hook: mapped to 404.
    public struct NotFound: Error {
        public init() {}
    }

    /// API errors pass unchanged; "no rows" becomes 404; anything else the generic 400.
    public static func apiError(_ error: any Error) -> any Error {
        switch error {
        case let e as APIError: e
        case is NotFound: APIError.notFound()
        case let e as any HTTPResponseError: e
        default: APIError.badRequest()
        }
    }
}
