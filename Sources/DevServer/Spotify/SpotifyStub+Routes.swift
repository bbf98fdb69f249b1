import Foundation
import PocketBase
import HTTPTypes
import Hummingbird
import NIOCore

extension SpotifyStub {
    /// Registers `/_spotify/authorize` (GET page, POST choice), `/_spotify/api/token` and `/_spotify/v1/me`.
    public nonisolated func register<Context: RequestContext>(on router: Router<Context>) {
        let p = String(Self.prefix.dropFirst())
        router.get("\(p)/authorize") { request, _ in try await self.authorizePage(request) }
        router.post("\(p)/authorize") { request, _ in try await self.authorizeSubmit(request) }
        router.post("\(p)/api/token") { request, _ in try await self.tokenEndpoint(request) }
        router.get("\(p)/v1/me") { request, _ in try await self.meEndpoint(request) }
    }

    static func html(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    func authorizePage(_ request: Request) async throws -> Response {
        let q = request.uri.queryParams
        let keys = ["client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "scope", "response_type"]
        let hidden = keys.map { "<input type=\"hidden\" name=\"\($0)\" value=\"\(Self.html(q[$0] ?? ""))\">" }.joined()
        let list = accounts.map { a in
            "<li><form method=\"post\">\(hidden)<input type=\"hidden\" name=\"account\" value=\"\(Self.html(a.id))\"><button type=\"submit\">Continue as \(Self.html(a.displayName)) (\(Self.html(a.id)))</button></form></li>"
        }.joined()
        var warning = ""
        if q["client_id"] != clientID { warning += "<p class=\"error\">Unknown client_id.</p>" }
        if (q["redirect_uri"] ?? "").isEmpty { warning += "<p class=\"error\">Missing redirect_uri.</p>" }
        let page = """
            <!doctype html><html><head><meta charset="utf-8"><title>Spotify (sptfy-dev stub) – Log in</title></head>
            <body><h1>Log in to Spotify</h1><p>Offline stub of sptfy-dev: pick a fixture account or create one.</p>\(warning)
            <ul id="accounts">\(list)</ul>
            <h2>New account</h2><form method="post" id="create">\(hidden)
            <label>Spotify id <input name="account" required pattern="[A-Za-z0-9_.-]+"></label>
            <label>Display name <input name="display_name"></label><button type="submit">Create and continue</button></form>
            </body></html>
            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        var out: [String: String] = [:]
        for (k, v) in QueryParameters(String(buffer: buffer)).pairs where out[k] == nil { out[k] = v }
        return out
    }

    func authorizeSubmit(_ request: Request) async throws -> Response {
        let f = try await Self.form(request)
        do {
            let code = try authorize(
                account: f["account"] ?? "", newName: f["display_name"], clientID: f["client_id"] ?? "",
                redirectURI: f["redirect_uri"] ?? "", challenge: f["code_challenge"] ?? "", method: f["code_challenge_method"] ?? "")
            let redirect = f["redirect_uri"] ?? ""
            let sep = redirect.contains("?") ? "&" : "?"
            let location = redirect + sep + "code=" + OAuth2ProviderInfo.formEncode(code) + "&state=" + OAuth2ProviderInfo.formEncode(f["state"] ?? "")
            var headers = HTTPFields()
            headers[.location] = location
            return Response(status: .found, headers: headers)
        } catch let e as StubError {
            return Response.json(e.body, status: .init(code: e.status))
        }
    }

    func tokenEndpoint(_ request: Request) async throws -> Response {
        let f = try await Self.form(request)
        var basic: (String, String)?
        if let auth = request.headers[.authorization], auth.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(auth.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
            let colon = decoded.firstIndex(of: ":")
        {
            // golang.org/x/oauth2 url-encodes both parts before joining them.
            let user = String(decoded[..<colon]).removingPercentEncoding ?? String(decoded[..<colon])
            let pass = String(decoded[decoded.index(after: colon)...]).removingPercentEncoding ?? ""
            basic = (user, pass)
        }
        do {
            return Response.json(try token(form: f, basicAuth: basic))
        } catch let e as StubError {
            return Response.json(e.body, status: .init(code: e.status))
        }
    }

    func meEndpoint(_ request: Request) async throws -> Response {
        let auth = request.headers[.authorization] ?? ""
        do {
            return Response.json(try me(bearer: auth.hasPrefix("Bearer ") ? String(auth.dropFirst(7)) : ""))
        } catch let e as StubError {
            return Response.json(e.body, status: .init(code: e.status))
        }
    }
}
