import Foundation
import PBJSON

extension Scenarios {
    static let http: [Scenario] = [
        Scenario("health: exact body for guests and superusers", tags: [.readOnly, .needsSuperuser]) { ctx in
            let r = try await ctx.send("GET", "/api/health")
            try expectStatus(r, 200)
            try expect(r.text == "{\"message\":\"API is healthy.\",\"code\":200,\"data\":{}}\n", "guest health body: \(r.text)")
            try expectPocketBaseJSON(r)
            try expect(r.header("X-Content-Type-Options") == "nosniff", "security header X-Content-Type-Options")
            try expect(r.header("X-Frame-Options") == "SAMEORIGIN", "security header X-Frame-Options")
            try expect(r.header("X-Xss-Protection") == "1; mode=block", "security header X-Xss-Protection")
            let s = try await ctx.send("GET", "/api/health", token: try await ctx.superuser())
            let data = try s.json()["data"]
            try expect(data?["canBackup"] == .bool(true), "superuser health canBackup: \(s.text)")
            try expect(data?["possibleProxyHeader"] == .string(""), "possibleProxyHeader: \(s.text)")
            try expect(data?["realIP"]?.stringValue?.isEmpty == false, "realIP: \(s.text)")
            try expect(s.json().objectValue?.keys == ["message", "code", "data"], "health key order")
        },
        Scenario("routes: unknown GET says File not found, other methods the generic 404", tags: [.readOnly]) { ctx in
            try expectError(try await ctx.send("GET", "/api/nope"), 404, "File not found.")
            try expectError(try await ctx.send("POST", "/api/nope"), 404, "The requested resource wasn't found.")
            try expectError(try await ctx.send("GET", "/api/collections/viewList/records/"), 404, "File not found.")
            try expectError(try await ctx.send("PUT", "/api/collections/viewList/records/x"), 404, "The requested resource wasn't found.")
        },
        Scenario("routes: unknown collection", tags: [.readOnly]) { ctx in
            try expectError(try await ctx.send("GET", "/api/collections/nope_\(ctx.runID)/records"), 404, "Missing collection context.")
            try expectError(try await ctx.send("GET", "/api/collections/nope_\(ctx.runID)/records/abc"), 404, "Missing collection context.")
            try expectError(try await ctx.send("DELETE", "/api/collections/nope_\(ctx.runID)/records/abc"), 404, "Missing collection context.")
            // Create/update and auth routes resolve the collection in a rate-limit middleware with its own message.
            try expectError(
                try await ctx.send("POST", "/api/collections/nope_\(ctx.runID)/records", json: .obj([:])), 404, "Missing or invalid collection context.")
            try expectError(
                try await ctx.send("PATCH", "/api/collections/nope_\(ctx.runID)/records/abc", json: .obj([:])), 404,
                "Missing or invalid collection context.")
            try expectError(
                try await ctx.send("POST", "/api/collections/nope_\(ctx.runID)/auth-with-password", json: .obj([:])), 404,
                "Missing or invalid collection context.")
            try expectError(try await ctx.send("GET", "/api/files/nope_\(ctx.runID)/abc/x.png"), 404, "Missing or invalid collection context.")
            try expectError(try await ctx.send("GET", "/api/files/random_short/abc/x.png"), 404, "The requested resource wasn't found.")
        },
        Scenario("cors: preflight echoes request headers, no security headers", tags: [.readOnly], requires: [.http, .cors]) { ctx in
            let r = try await ctx.send(
                "OPTIONS", "/api/collections/random_short/records",
                headers: [
                    ("Origin", "http://127.0.0.1:5173"), ("Access-Control-Request-Method", "POST"),
                    ("Access-Control-Request-Headers", "content-type,x-turnstile-token"),
                ])
            try expectStatus(r, 204)
            try expect(r.header("Access-Control-Allow-Origin") == "*", "allow origin")
            try expect(r.header("Access-Control-Allow-Methods") == "GET,HEAD,PUT,PATCH,POST,DELETE", "allow methods")
            try expect(r.header("Access-Control-Allow-Headers") == "content-type,x-turnstile-token", "allow headers")
            try expect(
                Set(r.headerValues("Vary")) == ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"],
                "vary: \(r.headerValues("Vary"))")
            try expect(r.header("X-Frame-Options") == nil, "preflight must not carry security headers")
            try expect(r.body.isEmpty, "preflight body must be empty")
            let noOrigin = try await ctx.send("OPTIONS", "/api/health")
            try expectStatus(noOrigin, 204)
            try expect(noOrigin.header("Access-Control-Allow-Origin") == nil, "no origin → no allow-origin")
            try expect(noOrigin.headerValues("Vary") == ["Origin"], "no origin → Vary: Origin")
            let get = try await ctx.send("GET", "/api/health", headers: [("Origin", "http://a.com")])
            try expect(get.header("Access-Control-Allow-Origin") == "*", "simple request allow-origin")
            try expect(get.headerValues("Vary").contains("Origin"), "simple request Vary")
        },
        Scenario("bodies: malformed, non-object and unsupported bodies", tags: [.readOnly]) { ctx in
            let path = "/api/collections/random_short/records"
            let generic = "Something went wrong while processing your request."
            try expectError(
                try await ctx.send("POST", path, headers: [("Content-Type", "application/json")], rawBody: Array("{\"from\":".utf8)), 400, generic)
            try expectError(try await ctx.send("POST", path, headers: [("Content-Type", "application/json")], rawBody: Array("[1,2]".utf8)), 400, generic)
            try expectError(
                try await ctx.send("POST", path, headers: [("Content-Type", "text/plain")], rawBody: Array("hello".utf8)), 400,
                "Unsupported Content-Type.")
            // Pathologically deep JSON is refused, and the server keeps serving.
            let deep = Array(repeating: UInt8(ascii: "["), count: 20000)
            try expectError(try await ctx.send("POST", path, headers: [("Content-Type", "application/json")], rawBody: deep), 400, generic)
            let deepObject = Array(String(repeating: "{\"a\":", count: 5000).utf8)
            try expectError(try await ctx.send("POST", path, headers: [("Content-Type", "application/json")], rawBody: deepObject), 400, generic)
            try expectStatus(try await ctx.send("GET", "/api/health"), 200, "still serving")
            // An empty body is an empty object: field validation answers.
            try expectError(
                try await ctx.send("POST", path, headers: [("Content-Type", "application/json")], rawBody: []), 400, "Failed to create record.",
                data: .obj(["from": blank, "id_url": blank]))
        },
        Scenario("bodies: over 32 MiB is refused with 413", tags: [.readOnly]) { ctx in
            let r = try await ctx.target.client.send(
                ContractRequest(
                    "POST", "/api/collections/random_short/records", headers: [("Content-Type", "application/json")],
                    declaredLength: (32 << 20) + 1024))
            try expectError(r, 413, "Request entity too large.")
        },
    ]
}
