import Crypto
import Foundation
import PocketBase

/// An offline stand-in for Spotify's OAuth2 endpoints (authorize page, token, `/v1/me`): accounts live in
/// memory, codes are single-use and checked against the PKCE challenge and the client credentials.
public actor SpotifyStub: InProcessOAuth2Provider {
    public struct Account: Sendable, Equatable {
        public var id: String
        public var displayName: String
        public var email: String
        public var country: String
    }

    struct PendingCode {
        let account: String
        let clientID: String
        let redirectURI: String
        let challenge: String
        let challengeMethod: String
    }

    public static let defaultClientID = "sptfy-dev-client"
    public static let defaultClientSecret = "sptfy-dev-secret"
    /// Path prefix of the stub's routes (in-process and standalone alike).
    public static let prefix = "/_spotify"

    public nonisolated let clientID: String
    public nonisolated let clientSecret: String
    private(set) var accounts: [Account]
    private var codes: [String: PendingCode] = [:]
    private var tokens: [String: String] = [:]

    /// Fixture accounts every stub starts with.
    public static let fixtureAccounts: [Account] = [
        Account(id: "sptfy_alice", displayName: "Alice Listener", email: "alice@spotify.test", country: "ID"),
        Account(id: "sptfy_bob", displayName: "Bob Beats", email: "bob@spotify.test", country: "DE"),
    ]

    public init(clientID: String = defaultClientID, clientSecret: String = defaultClientSecret, accounts: [Account] = fixtureAccounts) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.accounts = accounts
    }


    public struct StubError: Error, Sendable {
        public let status: Int
        public let body: JSONValue
    }

    /// Issues a code for an existing or new account; returns it.
    func authorize(account: String, newName: String?, clientID: String, redirectURI: String, challenge: String, method: String) throws -> String {
        guard clientID == self.clientID else { throw StubError(status: 400, body: .obj(["error": "invalid_client"])) }
        guard !redirectURI.isEmpty else { throw StubError(status: 400, body: .obj(["error": "invalid_request", "error_description": "Missing redirect_uri"])) }
        let id = account.trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }) else {
            throw StubError(status: 400, body: .obj(["error": "invalid_request", "error_description": "Invalid account id"]))
        }
        if !accounts.contains(where: { $0.id == id }) {
            let name = (newName?.isEmpty == false ? newName! : id)
            accounts.append(Account(id: id, displayName: name, email: "\(id)@spotify.test", country: "ID"))
        }
        let code = Identifiers.random(40, alphabet: Identifiers.alphanumeric)
        codes[code] = PendingCode(account: id, clientID: clientID, redirectURI: redirectURI, challenge: challenge, challengeMethod: method)
        return code
    }

    /// `POST /api/token` (authorization_code grant).
    public func token(form: [String: String], basicAuth: (String, String)?) throws -> JSONValue {
        let cid = basicAuth?.0 ?? form["client_id"] ?? ""
        let secret = basicAuth?.1 ?? form["client_secret"] ?? ""
        guard cid == clientID, secret == clientSecret else {
            throw StubError(status: 401, body: .obj(["error": "invalid_client", "error_description": "Invalid client"]))
        }
        guard form["grant_type"] == "authorization_code" else {
            throw StubError(status: 400, body: .obj(["error": "unsupported_grant_type", "error_description": "grant_type must be authorization_code"]))
        }
        guard let code = form["code"], let pending = codes.removeValue(forKey: code) else {
            throw StubError(status: 400, body: .obj(["error": "invalid_grant", "error_description": "Invalid authorization code"]))
        }
        guard form["redirect_uri"] == pending.redirectURI else {
            throw StubError(status: 400, body: .obj(["error": "invalid_grant", "error_description": "Invalid redirect URI"]))
        }
        if !pending.challenge.isEmpty {
            let verifier = form["code_verifier"] ?? ""
            let ok = pending.challengeMethod == "S256" ? OAuth2ProviderInfo.s256(verifier) == pending.challenge : verifier == pending.challenge
            guard ok else { throw StubError(status: 400, body: .obj(["error": "invalid_grant", "error_description": "code_verifier was incorrect"])) }
        }
        let access = "BQ" + Identifiers.random(60, alphabet: Identifiers.alphanumeric)
        tokens[access] = pending.account
        return .obj([
            "access_token": .string(access), "token_type": "Bearer", "expires_in": 3600,
            "refresh_token": .string("AQ" + Identifiers.random(60, alphabet: Identifiers.alphanumeric)), "scope": "user-read-private",
        ])
    }

    /// `GET /v1/me` in Spotify's shape.
    public func me(bearer: String) throws -> JSONValue {
        guard let id = tokens[bearer], let a = accounts.first(where: { $0.id == id }) else {
            throw StubError(status: 401, body: .obj(["error": .obj(["status": 401, "message": "Invalid access token"])]))
        }
        return .obj([
            "country": .string(a.country), "display_name": .string(a.displayName), "email": .string(a.email),
            "explicit_content": .obj(["filter_enabled": false, "filter_locked": false]),
            "external_urls": .obj(["spotify": .string("https://open.spotify.com/user/\(a.id)")]),
            "followers": .obj(["href": .null, "total": 0]), "href": .string("https://api.spotify.com/v1/users/\(a.id)"),
            "id": .string(a.id), "images": [], "product": "free", "type": "user", "uri": .string("spotify:user:\(a.id)"),
        ])
    }
}
