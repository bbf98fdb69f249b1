import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Code exchange and user info like golang.org/x/oauth2 + PocketBase's providers. Relative URLs (an in-process
/// provider's, e.g. the dev server's `/_spotify/...`) are answered without a network hop.
struct OAuth2Client {
    let inProcess: (any InProcessOAuth2Provider)?

    struct Failure: Error {}

    static let spotifyTokenURL = "https://accounts.spotify.com/api/token"
    static let spotifyUserInfoURL = "https://api.spotify.com/v1/me"

    func fetchToken(config: JSONObject, code: String, verifier: String, redirectURL: String, pkce: Bool) async throws -> JSONObject {
        let url = config["tokenURL"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? Self.spotifyTokenURL
        var form: [(String, String)] = [("code", code), ("grant_type", "authorization_code"), ("redirect_uri", redirectURL)]
        if pkce { form.append(("code_verifier", verifier)) }
        form.sort { $0.0 < $1.0 }
        let id = config["clientId"]?.stringValue ?? "", secret = config["clientSecret"]?.stringValue ?? ""
        let json: JSONValue
        if url.hasPrefix("/"), let inProcess {
            json = try await inProcess.token(form: Dictionary(uniqueKeysWithValues: form), basicAuth: (id, secret))
        } else {
            // Credentials in a Basic header first, then (if that attempt fails) in the body — x/oauth2's auto-detect.
            let basic = Data((OAuth2ProviderInfo.formEncode(id) + ":" + OAuth2ProviderInfo.formEncode(secret)).utf8).base64EncodedString()
            if let r = try? await post(url, form: form, headers: [("Authorization", "Basic " + basic)]) {
                json = r
            } else {
                json = try await post(url, form: form + [("client_id", id), ("client_secret", secret)], headers: [])
            }
        }
        guard let o = json.objectValue, let access = o["access_token"]?.stringValue, !access.isEmpty else { throw Failure() }
        return o
    }

    func post(_ url: String, form: [(String, String)], headers: [(String, String)]) async throws -> JSONValue {
        var req = HTTPClientRequest(url: url)
        req.method = .POST
        req.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        for (k, v) in headers { req.headers.add(name: k, value: v) }
        req.body = .bytes(ByteBuffer(string: form.map { "\(OAuth2ProviderInfo.formEncode($0.0))=\(OAuth2ProviderInfo.formEncode($0.1))" }.joined(separator: "&")))
        let res = try await HTTPClient.shared.execute(req, timeout: .seconds(30))
        let body = try await res.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(res.status.code) else { throw Failure() }
        if let json = try? JSONValue.parse(Array(body.readableBytesView)), json.objectValue != nil { return json }
        // Form-encoded token responses are accepted too.
        var o = JSONObject()
        for (k, v) in QueryParameters(String(buffer: body)).pairs { o[k] = .string(v) }
        return .object(o)
    }

    func fetchUser(config: JSONObject, accessToken: String) async throws -> JSONObject {
        let url = config["userInfoURL"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? Self.spotifyUserInfoURL
        if url.hasPrefix("/"), let inProcess {
            guard let o = try await inProcess.me(bearer: accessToken).objectValue else { throw Failure() }
            return o
        }
        var req = HTTPClientRequest(url: url)
        req.headers.add(name: "Authorization", value: "Bearer " + accessToken)
        let res = try await HTTPClient.shared.execute(req, timeout: .seconds(30))
        let body = try await res.body.collect(upTo: 1 << 20)
        guard res.status.code < 400, let o = try JSONValue.parse(Array(body.readableBytesView)).objectValue else { throw Failure() }
        return o
    }
}
