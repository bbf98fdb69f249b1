import Foundation
import GRDB
import Hummingbird

extension AuthController {
    /// `POST auth-with-oauth2` as PocketBase 0.23.12: code exchange, user info, existing link / logged-in record /
    /// email match, otherwise sign-up through the create rule (context `oauth2`), `_externalAuths` link, the
    /// `verified` quirk and the 0.23 `meta` (without `isNew`).
    @Sendable func authWithOAuth2(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try authCollection(context)
        guard c.oauth2Enabled else {
            throw APIError.forbidden("The collection is not configured to allow OAuth2 authentication.")
        }
        let body = try await loadForm(request)
        let provider = body.string("provider")
        let code = body.string("code")
        let verifier = body.string("codeVerifier")
        var redirectURL = body.string("redirectURL")
        if redirectURL.isEmpty { redirectURL = body.string("redirectUrl") }
        let configs = c.oauth2Providers
        let config = configs.first { $0["name"]?.stringValue == provider }
        var errors: [String: FieldError] = [:]
        if provider.isEmpty { errors["provider"] = .required } else if provider.count > 100 {
            errors["provider"] = .lengthOutOfRange(min: 0, max: 100)
        } else if config == nil {
            errors["provider"] = FieldError(
                "validation_invalid_provider", "Provider with name \(provider) is missing or is not enabled.", params: JSONObject([("name", .string(provider))]))
        }
        if code.isEmpty { errors["code"] = .required }
        if redirectURL.isEmpty { errors["redirectURL"] = .required }
        if !errors.isEmpty { throw APIError.badRequest("An error occurred while loading the submitted data.", errors.json) }
        guard let config else { throw APIError.badRequest() }

        let client = OAuth2Client(inProcess: inProcessOAuth2)
        let pkce = config["pkce"]?.boolValue ?? OAuth2ProviderInfo.known[provider]?.pkce ?? true
        let token: JSONObject
        do {
            token = try await client.fetchToken(config: config, code: code, verifier: verifier, redirectURL: redirectURL, pkce: pkce)
        } catch { throw APIError.badRequest("Failed to fetch OAuth2 token.") }
        let raw: JSONObject
        do {
            raw = try await client.fetchUser(config: config, accessToken: token["access_token"]?.stringValue ?? "")
        } catch { throw APIError.badRequest("Failed to fetch OAuth2 user.") }
        let user = OAuth2User(provider: provider, raw: raw, token: token)

        // Existing link → that record; else the logged-in record of this collection; else by email.
        let existing: Record? = try await storage.read { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT recordRef FROM _externalAuths WHERE collectionRef = ? AND provider = ? AND providerId = ? LIMIT 1",
                arguments: [c.id, provider, user.id]), let rid: String = row["recordRef"]
            {
                return try Storage.findRecord(db, c, id: rid)
            }
            return nil
        }
        var record = existing
        if record == nil, let auth = context.auth, auth.collection.id == c.id { record = auth.record }
        if record == nil, !user.email.isEmpty { record = try await findByEmail(c, user.email) }

        if record == nil {
            guard c.name != SystemCollection.superusers else { throw APIError.badRequest("Failed to authenticate.") }
            record = try await signUp(c, user: user, createData: body.values["createData"]?.objectValue ?? JSONObject(), request: request, context: context)
        }
        guard var authRecord = record else { throw APIError.badRequest("Failed to authenticate.") }
        try await link(c, record: authRecord, provider: provider, providerID: user.id)
        authRecord = try await storage.findRecord(c, id: authRecord.id) ?? authRecord
        return try await authResponse(authRecord, request: request, context: context, authMethod: .oauth2, meta: user.meta)
    }

    func signUp(_ c: CollectionModel, user: OAuth2User, createData: JSONObject, request: Request, context: AppRequestContext) async throws -> Record {
        let mapped = c.oauth2MappedFields
        var payload = createData
        payload["email"] = .string(user.email)
        if (payload["password"]?.stringValue ?? "").isEmpty {
            let pw = Identifiers.random(30, alphabet: Identifiers.alphanumeric)
            payload["password"] = .string(pw)
            payload["passwordConfirm"] = .string(pw)
        }
        for (key, value) in [("id", user.id), ("name", user.name)] {
            if let field = mapped[key]?.stringValue, !field.isEmpty, payload[field] == nil { payload[field] = .string(value) }
        }
        if let field = mapped["username"]?.stringValue, !field.isEmpty, payload[field] == nil, !user.username.isEmpty {
            payload[field] = .string(user.username)
        }
        if let field = mapped["avatarURL"]?.stringValue, !field.isEmpty, payload[field] == nil, !user.avatarURL.isEmpty,
            c.field(field)?.type != .file
        {
            payload[field] = .string(user.avatarURL)
        }
        var oauthContext = context
        oauthContext.auth = nil
        oauthContext.infoContext = .oauth2
        // PocketBase creates the user through the collection's create rule, without the create-request hooks.
        let body = ParsedBody(values: payload)
        var upsert = RecordUpsert(collection: c, original: nil, superuser: false)
        upsert.load(body)
        let info = RequestInfo(request, context: oauthContext, body: upsert.bodyForRules(body))
        let created = try await storage.createRecord(upsert, body: body, info: info, superuser: false)
        // 0.23 marks the record verified when its email equals the provider's — also when both are empty.
        if created.string("email") == user.email && !(created["verified"].boolValue ?? false) {
            try await storage.write { db in
                try db.execute(sql: "UPDATE \(SQLQuote.ident(c.name)) SET verified = 1 WHERE id = ?", arguments: [created.id])
            }
        }
        return created
    }

    func link(_ c: CollectionModel, record: Record, provider: String, providerID: String) async throws {
        try await storage.write { db in
            let now = PBDate.now()
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO _externalAuths (id, collectionRef, recordRef, provider, providerId, created, updated)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [Identifiers.recordID(), c.id, record.id, provider, providerID, now, now])
        }
    }
}

/// PocketBase's `auth.AuthUser` for a provider response (Spotify mapping; email/username are never mapped).
struct OAuth2User {
    var id = "", name = "", username = "", email = "", avatarURL = ""
    var raw: JSONObject
    var token: JSONObject

    init(provider: String, raw: JSONObject, token: JSONObject) {
        self.raw = raw
        self.token = token
        id = raw["id"].map(Coerce.toString) ?? ""
        name = raw["display_name"]?.stringValue ?? raw["name"]?.stringValue ?? ""
        avatarURL = raw["images"]?.arrayValue?.first?["url"]?.stringValue ?? ""
    }

    /// `meta` in 0.23's order: expiry, rawUser, id, name, username, email, avatarURL, accessToken, refreshToken,
    /// avatarUrl — and no `isNew` (swallowed by a promoted MarshalJSON in 0.23).
    var meta: JSONValue {
        let expiresIn = token["expires_in"]?.numberValue ?? Double(token["expires_in"]?.stringValue ?? "") ?? 0
        let expiry = expiresIn > 0 ? PBDate.format(Date().addingTimeInterval(expiresIn)) : ""
        return .object(JSONObject([
            ("expiry", .string(expiry)), ("rawUser", .object(raw.sorted())), ("id", .string(id)), ("name", .string(name)),
            ("username", .string(username)), ("email", .string(email)), ("avatarURL", .string(avatarURL)),
            ("accessToken", token["access_token"] ?? ""), ("refreshToken", token["refresh_token"] ?? ""), ("avatarUrl", .string(avatarURL)),
        ]))
    }
}
