import Foundation

/// An OAuth2 provider answered inside this process: when a provider's `tokenURL`/`userInfoURL` are relative
/// (e.g. `/_spotify/api/token`), the code exchange and the user lookup call it instead of the network.
public protocol InProcessOAuth2Provider: Sendable {
    /// The token endpoint: form fields and the client credentials sent as Basic auth.
    func token(form: [String: String], basicAuth: (String, String)?) async throws -> JSONValue
    /// The user-info endpoint for an access token.
    func me(bearer: String) async throws -> JSONValue
}
