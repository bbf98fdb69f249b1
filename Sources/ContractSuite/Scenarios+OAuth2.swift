import Foundation
import PBJSON

extension Scenarios {
    static let redirectURL = "http://127.0.0.1:5173/auth/spotify/callback"

    /// auth-methods → authorize page (GET, submit the form like a browser) → redirect with code → auth-with-oauth2.
    static func spotifyLogin(
        _ ctx: ScenarioContext, account: String, displayName: String, tamperVerifier: Bool = false
    ) async throws -> (ContractResponse, code: String, verifier: String) {
        let methods = try await ctx.send("GET", "/api/collections/users/auth-methods")
        let provider = try methods.json()["oauth2"]?["providers"]?.arrayValue?.first { $0["name"] == "spotify" }
        guard let provider, let authURL = provider["authUrl"]?.stringValue, let state = provider["state"]?.stringValue,
            let verifier = provider["codeVerifier"]?.stringValue
        else { throw ContractFailure("no spotify provider in auth-methods: \(methods.text.prefix(400))") }
        try expect(authURL.hasSuffix("&redirect_uri=") && provider["authURL"]?.stringValue == authURL, "authUrl ends with an empty redirect_uri")
        try expect(provider["codeChallengeMethod"] == "S256" && provider["displayName"] == "Spotify", "PKCE entry: \(provider.encoded())")
        let page = try await ctx.send("GET", authURL + ScenarioContext.encode(redirectURL))
        try expectStatus(page, 200, "authorize page")
        try expect(page.text.contains("sptfy_alice"), "fixture accounts are listed")
        // The "create account" form with the page's hidden fields, as a browser would submit it.
        let formHTML = String(page.text[(page.text.range(of: "id=\"create\"")?.lowerBound ?? page.text.startIndex)...])
        var fields: [(String, String)] = []
        let pattern = try NSRegularExpression(pattern: #"<input type="hidden" name="([^"]+)" value="([^"]*)">"#)
        for m in pattern.matches(in: formHTML, range: NSRange(formHTML.startIndex..., in: formHTML)) {
            let name = String(formHTML[Range(m.range(at: 1), in: formHTML)!])
            let value = String(formHTML[Range(m.range(at: 2), in: formHTML)!]).replacingOccurrences(of: "&amp;", with: "&")
            fields.append((name, value))
        }
        fields += [("account", account), ("display_name", displayName)]
        let body = fields.map { "\(ScenarioContext.encode($0.0))=\(ScenarioContext.encode($0.1))" }.joined(separator: "&")
        let postURL = String(authURL.prefix { $0 != "?" })
        let submitted = try await ctx.send(
            "POST", postURL, headers: [("Content-Type", "application/x-www-form-urlencoded")], rawBody: Array(body.utf8))
        try expectStatus(submitted, 302, "authorize submit")
        let location = submitted.header("Location") ?? ""
        let comps = URLComponents(string: location)
        let code = comps?.queryItems?.first { $0.name == "code" }?.value ?? ""
        try expect(location.hasPrefix(redirectURL + "?") && !code.isEmpty, "redirect to the frontend with a code: \(location)")
        try expect(comps?.queryItems?.first { $0.name == "state" }?.value == state, "state is echoed")
        let r = try await ctx.send(
            "POST", "/api/collections/users/auth-with-oauth2",
            json: .obj([
                "provider": "spotify", "code": .string(code), "codeVerifier": .string(tamperVerifier ? verifier + "x" : verifier),
                "redirectUrl": .string(redirectURL), "createData": .obj([:]),
            ]))
        return (r, code, verifier)
    }

    static let oauth2: [Scenario] = [
        Scenario("oauth2: sign-up goes through the collection's create rule", tags: [.mutating, .destructive, .needsSuperuser], requires: [.http, .spotifyStub]) {
            ctx in
            let su = try await ctx.superuser()
            let users = try await ctx.send("GET", "/api/collections/users", token: su)
            guard var provider = try users.json()["oauth2"]?["providers"]?.arrayValue?.first(where: { $0["name"] == "spotify" })?.objectValue else {
                throw ContractFailure("users has no spotify provider")
            }
            provider["clientSecret"] = "sptfy-dev-secret"
            let name = "oa_\(ctx.runID)"
            let created = try await ctx.send(
                "POST", "/api/collections",
                json: .obj([
                    "name": .string(name), "type": "auth", "createRule": .null,
                    "oauth2": .obj(["enabled": true, "providers": [.object(provider)], "mappedFields": .obj(["id": "", "name": "", "username": "", "avatarURL": ""])]),
                ]), token: su)
            try expectStatus(created, 200, "create auth collection")
            ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/collections/\(name)", token: su) }
            func login() async throws -> ContractResponse {
                let methods = try await ctx.send("GET", "/api/collections/\(name)/auth-methods")
                guard let p = try methods.json()["oauth2"]?["providers"]?.arrayValue?.first, let authURL = p["authURL"]?.stringValue,
                    let verifier = p["codeVerifier"]?.stringValue
                else { throw ContractFailure("no provider: \(methods.text.prefix(300))") }
                let query = URLComponents(string: authURL)?.queryItems ?? []
                var fields = query.filter { $0.name != "redirect_uri" }.map { ($0.name, $0.value ?? "") }
                fields += [("redirect_uri", redirectURL), ("account", "sb_\(ctx.runID)")]
                let body = fields.map { "\(ScenarioContext.encode($0.0))=\(ScenarioContext.encode($0.1))" }.joined(separator: "&")
                let submitted = try await ctx.send(
                    "POST", String(authURL.prefix { $0 != "?" }), headers: [("Content-Type", "application/x-www-form-urlencoded")], rawBody: Array(body.utf8))
                let code = URLComponents(string: submitted.header("Location") ?? "")?.queryItems?.first { $0.name == "code" }?.value ?? ""
                return try await ctx.send(
                    "POST", "/api/collections/\(name)/auth-with-oauth2",
                    json: .obj(["provider": "spotify", "code": .string(code), "codeVerifier": .string(verifier), "redirectURL": .string(redirectURL)]))
            }
            try expectError(try await login(), 403, "Only superusers can perform this action.")
            // The sign-up's `@request.context` is "oauth2".
            try expectStatus(
                try await ctx.send("PATCH", "/api/collections/\(name)", json: .obj(["createRule": "@request.context = 'default'"]), token: su), 200, "rule")
            try expectError(try await login(), 400, "Failed to create record.")
            try expectStatus(
                try await ctx.send("PATCH", "/api/collections/\(name)", json: .obj(["createRule": "@request.context = 'oauth2'"]), token: su), 200, "rule")
            try expectError(try await login(), 400, "Failed to create record.", data: .obj(["email": blank]))
            let patched = try await ctx.send("PATCH", "/api/collections/\(name)", json: .obj(["createRule": ""]), token: su)
            try expectStatus(patched, 200, "open the create rule")
            // A new auth collection requires an email; Spotify never provides one.
            try expectError(try await login(), 400, "Failed to create record.", data: .obj(["email": blank]))
        },
        Scenario("oauth2: Spotify sign-up, returning login, single-use codes, PKCE", tags: [.mutating, .needsSuperuser], requires: [.http, .spotifyStub]) {
            ctx in
            let su = try await ctx.superuser()
            let account = "sp_\(ctx.runID)"
            let (first, code, verifier) = try await spotifyLogin(ctx, account: account, displayName: "Spot \(ctx.runID)")
            try expectStatus(first, 200, "sign-up")
            let j = try first.json()
            try expect(j.objectValue?.keys == ["meta", "record", "token"], "response keys")
            let meta = j["meta"]?.objectValue
            try expect(
                meta?.keys == ["expiry", "rawUser", "id", "name", "username", "email", "avatarURL", "accessToken", "refreshToken", "avatarUrl"],
                "meta keys in 0.23 order, no isNew: \(meta?.keys ?? [])")
            try expect(meta?["id"] == .string(account) && meta?["email"] == "" && meta?["username"] == "", "Spotify never maps email/username")
            try expect(meta?["rawUser"]?["display_name"] == .string("Spot \(ctx.runID)"), "rawUser is Spotify's /v1/me")
            let record = j["record"]
            let uid = record?["id"]?.stringValue ?? ""
            ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/collections/users/records/\(uid)", token: su) }
            try expect(record?["username"] == .string(account) && record?["name"] == .string("Spot \(ctx.runID)"), "mappedFields id→username, name→name")
            try expect(record?["email"] == "" && record?["onboarded"] == .bool(false), "new user: empty email, not onboarded: \(record?.encoded() ?? "")")
            // sptfy.in's auth hook stores the Spotify id (and saves, so the response already has it)
            try expect(record?["spotify_id"] == .string(account), "spotify_id captured on OAuth2 login: \(record?.encoded() ?? "")")
            let stored = try await ctx.send("GET", "/api/collections/users/records/\(uid)", token: su)
            try expect(try stored.json()["verified"] == .bool(true), "0.23 marks the sign-up verified (both emails empty)")
            let links = try await ctx.list("_externalAuths", filter: "recordRef = '\(uid)'", token: su)
            try expect(try ctx.column(links, "providerId") == [account], "_externalAuths link: \(links.text.prefix(300))")
            // a returning user gets the same record
            let (second, _, _) = try await spotifyLogin(ctx, account: account, displayName: "ignored")
            try expectStatus(second, 200, "returning login")
            try expect(try second.json()["record"]?["id"]?.stringValue == uid, "same record for the same Spotify id")
            try expect(try second.json()["record"]?["spotify_id"] == .string(account), "spotify_id kept on a returning login")
            // codes are single-use; a wrong PKCE verifier fails the exchange
            let reuse = try await ctx.send(
                "POST", "/api/collections/users/auth-with-oauth2",
                json: .obj(["provider": "spotify", "code": .string(code), "codeVerifier": .string(verifier), "redirectURL": .string(redirectURL)]))
            try expectError(reuse, 400, "Failed to fetch OAuth2 token.")
            let (pkce, _, _) = try await spotifyLogin(ctx, account: account, displayName: "x", tamperVerifier: true)
            try expectError(pkce, 400, "Failed to fetch OAuth2 token.")
            try expectError(
                try await ctx.send("POST", "/api/collections/users/auth-with-oauth2", json: .obj(["provider": "nope", "code": "x", "redirectURL": "y"])), 400,
                "An error occurred while loading the submitted data.",
                data: .obj(["provider": fieldError("validation_invalid_provider", "Provider with name nope is missing or is not enabled.", params: ["name": "nope"])]))
            try expectError(
                try await ctx.send("POST", "/api/collections/users/auth-with-oauth2", json: .obj([:])), 400, "An error occurred while loading the submitted data.",
                data: .obj(["provider": blank, "code": blank, "redirectURL": blank]))
        },
    ]
}
