import Foundation
import HTTPTypes
import Hummingbird

/// PocketBase's rate limits (`apis/middlewares_rate_limit.go`), enforced when `rateLimits.enabled`; superusers are
/// never limited. Runs inside the activity logger (so 429s are logged) and after auth (audiences need `e.Auth`).
///
/// Most routes use the global labels `["METHOD path", "path"]` and one counter per matched rule. Record CRUD, the
/// auth routes and file downloads look up `coll:tag` / `*:tag` labels first and count per collection and route.
struct RateLimitMiddleware: RouterMiddleware {
    let storage: Storage

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws
        -> Response
    {
        try Self.check(request, context: context, storage: storage)
        return try await next(request, context)
    }

    /// Counts the request against its rule; throws 429 when the window is used up. Also called for each batch
    /// sub-request (PocketBase's record handlers apply the collection limits themselves, inside a batch too).
    static func check(_ request: Request, context: AppRequestContext, storage: Storage) throws {
        let limiter = storage.rateLimiter
        let config = limiter.config
        guard config.enabled, !config.rules.isEmpty, !context.isSuperuser else { return }

        let rawPath = request.uri.path
        // Go matches labels against the decoded URL path.
        let path = rawPath.removingPercentEncoding ?? rawPath
        let labels = [request.method.rawValue + " " + path, path]
        let audiences = context.auth == nil ? RateLimits.guestAudiences : RateLimits.authAudiences

        let rule: RateLimitRule
        let limiterID: String
        if let route = CollectionRoute(method: request.method, path: rawPath) {
            // An unknown collection gets the handler's 404, and writes to a view collection its 400, unlimited.
            guard let collection = storage.collection(route.collection), !(route.isWrite && collection.type == .view) else {
                return
            }
            let tagged = route.tags.map { collection.name + ":" + $0 } + route.tags.map { "*:" + $0 }
            guard let found = config.find(tagged + labels, audiences: audiences) else { return }
            rule = found
            limiterID = collection.id + route.pattern + route.tags.joined() + found.audience
        } else {
            guard let found = config.find(labels, audiences: audiences) else { return }
            rule = found
            limiterID = found.label + found.audience
        }

        let client = ClientIP.real(request, context: context, settings: storage.cachedSettings)
        guard limiter.isAllowed(limiter: limiterID, client: client, rule: rule) else { throw APIError(.tooManyRequests) }
    }
}

/// The routes whose handlers apply PocketBase's collection rate limit, with their tags.
struct CollectionRoute: Equatable {
    var collection: String
    var tags: [String]
    /// Go's route pattern; part of the limiter id, so each route of a collection counts separately.
    var pattern: String
    var isWrite: Bool = false

    init?(method: HTTPRequest.Method, path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0].isEmpty, parts[1] == "api", !parts[3].isEmpty else { return nil }
        let name = String(parts[3]).removingPercentEncoding ?? String(parts[3])
        if parts[2] == "files" {
            guard parts.count == 6, method == .get || method == .head, !parts[4].isEmpty, !parts[5].isEmpty else { return nil }
            self.init(collection: name, tags: ["file"], pattern: "GET /api/files/{collection}/{recordId}/{filename}")
            return
        }
        guard parts[2] == "collections" else { return nil }
        if parts[4] == "records" {
            let base = "/api/collections/{collection}/records"
            switch (parts.count, method) {
            case (5, .get): self.init(collection: name, tags: ["list"], pattern: "GET " + base)
            case (5, .post): self.init(collection: name, tags: ["create"], pattern: "POST " + base, isWrite: true)
            case (6, .get) where !parts[5].isEmpty: self.init(collection: name, tags: ["view"], pattern: "GET " + base + "/{id}")
            case (6, .patch) where !parts[5].isEmpty: self.init(collection: name, tags: ["update"], pattern: "PATCH " + base + "/{id}", isWrite: true)
            case (6, .delete) where !parts[5].isEmpty:
                self.init(collection: name, tags: ["delete"], pattern: "DELETE " + base + "/{id}", isWrite: true)
            default: return nil
            }
            return
        }
        guard parts.count == 5 else { return nil }
        let action = String(parts[4])
        if action == "auth-methods" {
            guard method == .get || method == .head else { return nil }
            self.init(collection: name, tags: ["listAuthMethods"], pattern: "GET /api/collections/{collection}/auth-methods")
            return
        }
        guard method == .post, let tags = Self.authActions[action] else { return nil }
        self.init(collection: name, tags: tags, pattern: "POST /api/collections/{collection}/" + action)
    }

    init(collection: String, tags: [String], pattern: String, isWrite: Bool = false) {
        self.collection = collection
        self.tags = tags
        self.pattern = pattern
        self.isWrite = isWrite
    }

    static let authActions: [String: [String]] = [
        "auth-refresh": ["authRefresh"],
        "auth-with-password": ["authWithPassword", "auth"],
        "auth-with-oauth2": ["authWithOAuth2", "auth"],
        "request-otp": ["requestOTP"],
        "auth-with-otp": ["authWithOTP", "auth"],
        "request-password-reset": ["requestPasswordReset"],
        "confirm-password-reset": ["confirmPasswordReset"],
        "request-verification": ["requestVerification"],
        "confirm-verification": ["confirmVerification"],
        "request-email-change": ["requestEmailChange"],
        "confirm-email-change": ["confirmEmailChange"],
    ]
}
