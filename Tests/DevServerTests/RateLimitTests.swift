import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// PocketBase's rate limits: the fixed windows, their bounded store, and the middleware's labels and limiter ids.
@Suite struct RateLimitTests {
    @Test func windowsRefillOnlyAfterTheDurationSinceTheLastAllowedRequest() {
        let limiter = RateLimiter()
        let rule = RateLimitRule(label: "/api/", duration: 10, maxRequests: 2)
        func allowed(_ now: Int64, client: String = "1.1.1.1") -> Bool { limiter.isAllowed(limiter: "x", client: client, rule: rule, now: now) }
        #expect(allowed(100) && allowed(105))
        #expect(!allowed(109) && !allowed(114))  // denied requests do not move the window
        #expect(allowed(115))  // 10 s after the last allowed one (105): refilled
        #expect(allowed(116, client: "2.2.2.2"))  // per client
        #expect(allowed(116) == true && !allowed(117))
    }

    @Test func theStoreStaysBoundedAndDropsExpiredWindowsFirst() {
        let limiter = RateLimiter(maxClients: 100)
        let short = RateLimitRule(label: "a", duration: 1, maxRequests: 1)
        let long = RateLimitRule(label: "b", duration: 1000, maxRequests: 1)
        for i in 0..<50 { _ = limiter.isAllowed(limiter: "b", client: "long-\(i)", rule: long, now: 10) }
        for i in 0..<50 { _ = limiter.isAllowed(limiter: "a", client: "short-\(i)", rule: short, now: 10) }
        #expect(limiter.windowCount == 100)
        // The short windows have run out by now: dropping them loses nothing, the long ones stay (still exhausted).
        _ = limiter.isAllowed(limiter: "a", client: "new", rule: short, now: 20)
        #expect(limiter.windowCount == 51)
        #expect(!limiter.isAllowed(limiter: "b", client: "long-0", rule: long, now: 20))
        // Flooding with fresh clients never grows the store past its cap.
        for i in 0..<1000 { _ = limiter.isAllowed(limiter: "b", client: "flood-\(i)", rule: long, now: 30) }
        #expect(limiter.windowCount <= 100)
    }

    static func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = token }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    static func enable(_ client: some TestClientProtocol, _ su: String, _ rules: String) async throws {
        let r = try await SettingsValidationTests.patch(client, su, #"{"rateLimits":{"enabled":true,"rules":\#(rules)}}"#)
        #expect(r.0 == .ok, "\(r.1)")
    }

    @Test func globalRulesLimitGuestsWith429AndSkipSuperusers() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await StateTests.superuser(client)
            try await Self.enable(client, su, #"[{"label":"/api/health","maxRequests":2,"duration":10,"audience":""}]"#)
            #expect(try await Self.send(client, .get, "/api/health").status == .ok)
            #expect(try await Self.send(client, .head, "/api/health").status == .ok)  // HEAD shares the path's counter
            let limited = try await Self.send(client, .get, "/api/health")
            #expect(limited.status == .tooManyRequests)
            #expect(String(buffer: limited.body) == #"{"data":{},"message":"Too Many Requests.","status":429}"# + "\n")
            #expect(limited.headers[HTTPField.Name("X-Frame-Options")!] == "SAMEORIGIN")
            for _ in 0..<3 { #expect(try await Self.send(client, .get, "/api/health", token: su).status == .ok) }
            // Saving the settings drops every window.
            try await Self.enable(client, su, #"[{"label":"/api/health","maxRequests":2,"duration":10,"audience":""}]"#)
            #expect(try await Self.send(client, .get, "/api/health").status == .ok)
            // Disabled: nothing is limited.
            #expect(try await SettingsValidationTests.patch(client, su, #"{"rateLimits":{"enabled":false}}"#).0 == .ok)
            for _ in 0..<4 { #expect(try await Self.send(client, .get, "/api/health").status == .ok) }
        }
    }

    @Test func prefixRulesShareOneCounterAndAudiencesSplitThem() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await StateTests.superuser(client)
            try await Self.enable(
                client, su, #"[{"label":"/api/health","maxRequests":1,"duration":60,"audience":"@auth"},{"label":"/api/","maxRequests":2,"duration":60}]"#)
            #expect(try await Self.send(client, .get, "/api/health").status == .ok)
            #expect(try await Self.send(client, .get, "/api/nope").status == .notFound)
            #expect(try await Self.send(client, .get, "/api/health").status == .tooManyRequests)
            #expect(try await Self.send(client, .get, "/api/settings").status == .tooManyRequests)
        }
    }

    @Test func collectionRoutesCountPerCollectionAndRoute() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await StateTests.superuser(client)
            try await Self.enable(
                client, su,
                #"[{"label":"*:auth","maxRequests":1,"duration":60},{"label":"users:list","maxRequests":1,"duration":60},{"label":"/api/","maxRequests":1,"duration":60}]"#
            )
            let login = #"{"identity":"nobody@example.com","password":"wrong-password"}"#
            for collection in ["users", "_superusers"] {
                let path = "/api/collections/\(collection)/auth-with-password"
                #expect(try await Self.send(client, .post, path, body: login).status == .badRequest)
                #expect(try await Self.send(client, .post, path, body: login).status == .tooManyRequests)
            }
            // users:list applies to the list only; view has its own (`/api/`) counter per collection and route.
            #expect(try await Self.send(client, .get, "/api/collections/users/records").status == .ok)
            #expect(try await Self.send(client, .get, "/api/collections/users/records").status == .tooManyRequests)
            #expect(try await Self.send(client, .get, "/api/collections/users/records/nope").status == .notFound)
            #expect(try await Self.send(client, .get, "/api/collections/users/records/nope").status == .tooManyRequests)
            // Unknown collections get the handler's 404, unlimited; the global `/api/` counter is untouched so far.
            for _ in 0..<3 { #expect(try await Self.send(client, .get, "/api/collections/nope/records").status == .notFound) }
            #expect(try await Self.send(client, .get, "/api/health").status == .ok)
            #expect(try await Self.send(client, .get, "/api/health").status == .tooManyRequests)
        }
    }

    @Test func batchSubRequestsCountAgainstTheCollectionLimitsAndRenamesFollow() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await StateTests.superuser(client)
            #expect(try await SettingsValidationTests.patch(client, su, #"{"batch":{"enabled":true,"maxRequests":10}}"#).0 == .ok)
            let created = try await Self.send(
                client, .post, "/api/collections", token: su, body: #"{"name":"rl_a","type":"base","createRule":"","fields":[{"name":"t","type":"text"}]}"#)
            #expect(created.status == .ok)
            try await Self.enable(client, su, #"[{"label":"rl_a:create","maxRequests":1,"duration":60}]"#)
            let one = #"{"method":"POST","url":"/api/collections/rl_a/records","body":{"t":"x"}}"#
            #expect(try await Self.send(client, .post, "/api/batch", body: #"{"requests":[\#(one)]}"#).status == .ok)
            // The second create (inside a batch, as a guest) is over the limit: the batch fails with its 429.
            let limited = try await Self.send(client, .post, "/api/batch", body: #"{"requests":[\#(one)]}"#)
            #expect(limited.status == .badRequest && String(buffer: limited.body).contains("429"), "\(String(buffer: limited.body))")
            // Renaming the collection renames its labels (PocketBase's collection-update hook).
            let id = try JSONValue.parseStrict(String(buffer: created.body))["id"]?.stringValue ?? ""
            #expect(try await Self.send(client, .patch, "/api/collections/\(id)", token: su, body: #"{"name":"rl_b"}"#).status == .ok)
            let settings = try JSONValue.parseStrict(String(buffer: try await Self.send(client, .get, "/api/settings", token: su).body))
            #expect(settings["rateLimits"]?["rules"]?.arrayValue?.first?["label"] == "rl_b:create")
        }
    }

    @Test func collectionRoutesAreRecognised() {
        #expect(CollectionRoute(method: .post, path: "/api/collections/users/auth-with-password")?.tags == ["authWithPassword", "auth"])
        #expect(CollectionRoute(method: .get, path: "/api/collections/users/auth-methods")?.tags == ["listAuthMethods"])
        #expect(CollectionRoute(method: .delete, path: "/api/collections/users/records/abc")?.tags == ["delete"])
        #expect(CollectionRoute(method: .get, path: "/api/files/users/abc/a.png")?.tags == ["file"])
        #expect(CollectionRoute(method: .get, path: "/api/collections/users/auth-with-password") == nil)
        #expect(CollectionRoute(method: .put, path: "/api/collections/users/records") == nil)
        #expect(CollectionRoute(method: .get, path: "/api/collections//records") == nil)
        #expect(CollectionRoute(method: .get, path: "/api/collections/users") == nil)
    }
}
