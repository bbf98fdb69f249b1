import Foundation
import PocketBase

/// The `spotify` entry of the users collection's `oauth2.providers`.
public struct SpotifyProviderConfig: Sendable {
    public var clientID: String
    public var clientSecret: String
    /// Base of the stub's routes, e.g. `http://127.0.0.1:8091` (empty: this server's own `/_spotify`; nil: real Spotify).
    public var stubBaseURL: String?

    public init(clientID: String, clientSecret: String, stubBaseURL: String?) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.stubBaseURL = stubBaseURL
    }

    /// Dev default: the in-process stub, addressed by relative URLs.
    public static let devStub = SpotifyProviderConfig(
        clientID: SpotifyStub.defaultClientID, clientSecret: SpotifyStub.defaultClientSecret, stubBaseURL: "")

    /// PocketBase's provider config in its struct order (pkce first; clientSecret is never served).
    var json: JSONValue {
        let base = stubBaseURL.map { $0 + SpotifyStub.prefix }
        return .obj([
            "pkce": .null, "name": "spotify", "clientId": .string(clientID), "clientSecret": .string(clientSecret),
            "authURL": .string(base.map { $0 + "/authorize" } ?? ""), "tokenURL": .string(base.map { $0 + "/api/token" } ?? ""),
            "userInfoURL": .string(base.map { $0 + "/v1/me" } ?? ""), "displayName": "", "extra": .null,
        ])
    }
}

extension Storage {
    /// Replaces the `spotify` provider of the users collection.
    public func setSpotifyProvider(_ config: SpotifyProviderConfig) throws {
        try setOAuth2Provider(config.json, collection: "users")
    }
}
