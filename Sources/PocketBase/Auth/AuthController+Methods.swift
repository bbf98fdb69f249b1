import Crypto
import Foundation
import Hummingbird

extension AuthController {
    /// `GET auth-methods`: the 0.23 shape plus the legacy keys SDK 0.21.5 reads (`authProviders`, `usernamePassword`,
    /// `emailPassword`, `authUrl`).
    @Sendable func authMethods(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try authCollection(context)
        let passwordEnabled = c.passwordAuthEnabled
        let names = passwordEnabled ? c.identityFields : []
        let oauthEnabled = c.oauth2Enabled
        var providers: [JSONValue] = []
        if oauthEnabled {
            // Relative URLs belong to an in-process provider on this server: make them absolute for the browser.
            let origin = request.head.authority.map { "http://\($0)" } ?? ""
            providers = c.oauth2Providers.compactMap { OAuth2ProviderInfo.make($0, origin: origin) }
        }
        func section(_ s: (enabled: Bool, duration: JSONValue)) -> JSONValue {
            .obj(["enabled": .bool(s.enabled), "duration": s.enabled ? s.duration : 0])
        }
        let body = JSONValue.obj([
            "password": .obj(["identityFields": .array(names.map(JSONValue.string)), "enabled": .bool(passwordEnabled)]),
            "oauth2": .obj(["providers": .array(providers), "enabled": .bool(oauthEnabled)]),
            "mfa": section(c.mfa), "otp": section(c.otp),
            "authProviders": oauthEnabled ? .array(providers) : .null,
            "usernamePassword": .bool(passwordEnabled && names.contains("username")),
            "emailPassword": .bool(passwordEnabled && names.contains("email")),
        ])
        return FieldsProjection.respond(body, fields: request.uri.queryParams["fields"])
    }

    /// `POST impersonate/{id}` (superusers only): a non-refreshable token for any auth record.
    @Sendable func impersonate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try authCollection(context)
        guard let auth = context.auth else { throw APIError.requireAuth }
        guard auth.collection.name == SystemCollection.superusers else { throw APIError.requireSuperuser }
        let body = try await BodyParser.parse(request)
        let duration = body.values["duration"].map(Coerce.toNumber) ?? 0
        if duration < 0 {
            throw Self.invalidForm([
                "duration": FieldError("validation_min_greater_equal_than_required", "Must be no less than 0.", params: JSONObject([("threshold", 0)]))
            ])
        }
        guard let id = context.parameters.get("id"), let record = try await storage.findRecord(c, id: id) else { throw APIError.notFound() }
        let token = try await AuthToken.issue(
            for: record, duration: duration > 0 ? Int(saturating: duration) : nil, refreshable: false)
        let out = JSONValue.object(JSONObject([
            ("record", .object(record.export(superuser: true, requesterID: record.id))), ("token", .string(token)),
        ]))
        return FieldsProjection.respond(out, fields: request.uri.queryParams["fields"])
    }
}

/// One provider's entry in auth-methods: fresh state, PKCE verifier/challenge, and the auth URL with an empty
/// trailing `redirect_uri=` for the client to complete.
public enum OAuth2ProviderInfo {
    struct Defaults {
        let displayName: String
        let authURL: String
        let scopes: [String]
        let pkce: Bool
    }

    static let known: [String: Defaults] = [
        "spotify": Defaults(displayName: "Spotify", authURL: "https://accounts.spotify.com/authorize", scopes: ["user-read-private"], pkce: true)
    ]

    static func make(_ config: JSONObject, origin: String = "") -> JSONValue? {
        guard let name = config["name"]?.stringValue, !name.isEmpty else { return nil }
        let defaults = known[name]
        var authURL = config["authURL"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? defaults?.authURL ?? ""
        if authURL.hasPrefix("/") { authURL = origin + authURL }
        guard !authURL.isEmpty else { return nil }
        let pkce = config["pkce"]?.boolValue ?? defaults?.pkce ?? true
        let state = Identifiers.random(30, alphabet: Identifiers.alphanumeric)
        var verifier = "", challenge = "", method = ""
        var params: [(String, String)] = [
            ("client_id", config["clientId"]?.stringValue ?? ""), ("response_type", "code"),
            ("scope", (defaults?.scopes ?? []).joined(separator: " ")), ("state", state),
        ]
        if pkce {
            verifier = Identifiers.random(43, alphabet: Identifiers.alphanumeric)
            challenge = s256(verifier)
            method = "S256"
            params += [("code_challenge", challenge), ("code_challenge_method", method)]
        }
        // golang.org/x/oauth2 encodes the parameters sorted by key.
        let query = params.sorted { $0.0 < $1.0 }.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        let url = authURL + (authURL.contains("?") ? "&" : "?") + query + "&redirect_uri="
        let display = config["displayName"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? defaults?.displayName ?? name
        return .obj([
            "name": .string(name), "displayName": .string(display), "state": .string(state), "authURL": .string(url),
            "authUrl": .string(url), "codeVerifier": .string(verifier), "codeChallenge": .string(challenge),
            "codeChallengeMethod": .string(method),
        ])
    }

    public static func s256(_ verifier: String) -> String {
        let digest = SHA256.hash(data: Data(verifier.utf8))
        return Data(digest).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Go's url.QueryEscape.
    public static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        return (s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s).replacingOccurrences(of: "%20", with: "+")
    }
}
