import Foundation
import Hummingbird
import Logging
import NIOCore

/// Per-request state: who is calling (resolved from the Authorization header).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var auth: AuthRecord?
    public let remoteAddress: SocketAddress?
    /// `@request.context` when it is not "default": a batch's sub-requests ("batch"), the OAuth2 sign-up ("oauth2").
    public var infoContext: RequestInfoContext?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Bodies are limited by BodyLimitMiddleware / the body reader, not here.
    public var maxUploadSize: Int { Int.max }

    public var isSuperuser: Bool { auth?.collection.name == SystemCollection.superusers }

    /// PocketBase's superuser guard: 401 without auth, 403 for other auth records.
    public func requireSuperuser() throws {
        guard auth != nil else { throw APIError.requireAuth }
        guard isSuperuser else { throw APIError.requireSuperuser }
    }
}
