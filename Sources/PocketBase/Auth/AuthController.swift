import Foundation
import GRDB
import Hummingbird
import HummingbirdBcrypt

/// Auth endpoints under `/api/collections/{collection}/…` (password login and refresh for now).
struct AuthController {
    let storage: Storage
    /// Answers a provider's relative token/user-info URLs in-process.
    var inProcessOAuth2: (any InProcessOAuth2Provider)? = nil
    var mailbox = DevMailbox(dataDir: nil)
    var limiter = ResendLimiter()
    var hooks = Hooks()

    func register(on router: Router<AppRequestContext>) {
        router.post("api/collections/:collection/auth-with-password", use: authWithPassword)
        router.post("api/collections/:collection/auth-refresh", use: authRefresh)
        router.get("api/collections/:collection/auth-methods", use: authMethods)
        router.post("api/collections/:collection/auth-with-oauth2", use: authWithOAuth2)
        router.post("api/collections/:collection/request-verification", use: requestVerification)
        router.post("api/collections/:collection/confirm-verification", use: confirmVerification)
        router.post("api/collections/:collection/request-password-reset", use: requestPasswordReset)
        router.post("api/collections/:collection/confirm-password-reset", use: confirmPasswordReset)
        router.post("api/collections/:collection/request-email-change", use: requestEmailChange)
        router.post("api/collections/:collection/confirm-email-change", use: confirmEmailChange)
        router.post("api/collections/:collection/request-otp", use: otpDisabled)
        router.post("api/collections/:collection/auth-with-otp", use: otpDisabled)
        router.post("api/collections/:collection/impersonate/:id", use: impersonate)
    }

    func authCollection(_ context: AppRequestContext) throws -> CollectionModel {
        guard let name = context.parameters.get("collection"), let c = storage.collection(name) else {
            throw APIError.notFound("Missing or invalid collection context.")
        }
        guard c.isAuth else { throw APIError.notFound("Missing or invalid auth collection context.") }
        return c
    }

    @Sendable func authWithPassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try authCollection(context)
        guard c.passwordAuthEnabled else {
            throw APIError.forbidden("The collection is not configured to allow password authentication.")
        }
        let body = try await loadForm(request)
        let identity = body.string("identity")
        let password = body.string("password")
        let identityField = body.string("identityField")
        let allowedFields = c.identityFields
        var errors: [String: FieldError] = [:]
        for (key, value) in [("identity", identity), ("password", password)] {
            if value.isEmpty { errors[key] = .required } else if value.count > 255 {
                errors[key] = .lengthOutOfRange(min: 1, max: 255)
            }
        }
        if !identityField.isEmpty && !allowedFields.contains(identityField) {
            errors["identityField"] = FieldError("validation_in_invalid", "Must be a valid value.")
        }
        if !errors.isEmpty { throw Self.invalidForm(errors) }

        // Exact, case-sensitive lookup (0.23): email first when it looks like one, then each identity field.
        var candidates = identityField.isEmpty ? allowedFields : [identityField]
        if identityField.isEmpty, identity.contains("@"), let i = candidates.firstIndex(of: "email") {
            candidates.remove(at: i)
            candidates.insert("email", at: 0)
        }
        let table = SQLQuote.ident(c.name)
        let lookupFields = candidates
        let record: Record? = try await storage.read { db in
            for field in lookupFields where c.field(field) != nil {
                if let row = try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE \(SQLQuote.ident(field)) = ? LIMIT 1", arguments: [identity]) {
                    return Record(collection: c, row: row)
                }
            }
            return nil
        }
        guard let record, Bcrypt.verify(password, hash: record.string("password")) else {
            var failure = APIError.badRequest("Failed to authenticate.")
            failure.details = "invalid login credentials"
            throw failure
        }
        return try await authResponse(record, request: request, context: context, authMethod: .password)
    }

    @Sendable func authRefresh(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try authCollection(context)
        guard let auth = context.auth else { throw APIError.requireAuth }
        guard auth.collection.id == c.id else {
            // PocketBase names the *token's* collection here.
            throw APIError.forbidden("The request requires auth record from \(auth.collection.name) collection.")
        }
        guard auth.refreshable else { throw APIError.forbidden("The current auth token is not refreshable.") }
        return try await authResponse(auth.record, request: request, context: context, authMethod: .refresh)
    }

    /// The auth response, through `onRecordAuthRequest` (which may change the record, token or meta).
    func authResponse(_ record: Record, request: Request, context: AppRequestContext, authMethod: AuthMethod, meta: JSONValue? = nil) async throws -> Response {
        try await checkAuthRule(record)
        let token = try await AuthToken.issue(for: record)
        let event = RecordAuthRequestEvent(
            request: request, storage: storage, collection: record.collection, record: record, token: token, authMethod: authMethod, meta: meta)
        return try await hooks.onRecordAuthRequest.trigger(event, collection: record.collection) { e in
            let isSuperuser = e.record.collection.name == SystemCollection.superusers
            // `?expand=` is applied as the authenticated record (PocketBase's recordAuthResponse).
            var expandContext = context
            expandContext.auth = AuthRecord(record: e.record, refreshable: true)
            let paths = request.uri.queryParams["expand"] ?? ""
            let expand = paths.isEmpty ? nil : try await Expander(storage: storage, request: request, context: expandContext).expand([e.record], paths: paths).first ?? nil
            var pairs: [(String, JSONValue)] = []
            if let meta = e.meta { pairs.append(("meta", meta)) }
            pairs += [
                ("record", .object(e.record.export(superuser: isSuperuser, requesterID: e.record.id, expand: expand))), ("token", .string(e.token)),
            ]
            let body = JSONValue.object(JSONObject(pairs))
            return FieldsProjection.respond(body, fields: request.uri.queryParams["fields"])
        }
    }
}

extension AuthController {
    /// The collection's authRule, evaluated with the record as `@request.auth` (null → nobody but superusers).
    func checkAuthRule(_ record: Record) async throws {
        let c = record.collection
        guard c.name != SystemCollection.superusers else { return }
        let denied = APIError.forbidden("The request doesn't satisfy the collection requirements to authenticate.")
        guard let rule = c.authRule else { throw denied }
        if rule.isEmpty { return }
        let sql = try? storage.ruleQuery(c, id: record.id, rule: rule, request: RequestInfo(auth: record))
        guard let sql, try await storage.read({ db in try Storage.fetch(db, c, sql).first }) != nil else { throw denied }
    }
}

/// Resolves the Authorization header for every request; invalid tokens leave the caller a guest.
struct AuthMiddleware: RouterMiddleware {
    let storage: Storage

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if let header = request.headers[.authorization], !header.isEmpty {
            context.auth = await AuthToken.resolve(header, storage: storage)
        }
        return try await next(request, context)
    }
}

extension AuthController {
    /// Binds an auth-form body; unreadable bodies get the auth routes' own wording (a 413 stays a 413).
    func loadForm(_ request: Request) async throws -> ParsedBody {
        do { return try await BodyParser.parse(request) } catch let e as APIError where e.status == .badRequest {
            throw APIError.badRequest("An error occurred while loading the submitted data.")
        }
    }

    /// PocketBase's form-validation failure.
    static func invalidForm(_ errors: [String: FieldError]) -> APIError {
        APIError.badRequest("An error occurred while validating the submitted data.", errors.json)
    }
}
