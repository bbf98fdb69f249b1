import Foundation
import PBJSON

extension ScenarioContext {
    /// Polls `/api/logs` with `filter` until at least `count` lines match (PocketBase writes its log batch up to 3 s
    /// after the request); returns the items sorted by creation.
    public func logLines(_ filter: String, count: Int, token: String, timeout: Duration = .seconds(10)) async throws -> [JSONValue] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let r = try await send("GET", "/api/logs?sort=created&perPage=100&filter=" + Self.encode(filter), token: token)
            try expectStatus(r, 200, "logs list")
            let items = try r.json()["items"]?.arrayValue ?? []
            if items.count >= count || ContinuousClock.now > deadline { return items }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}

extension Scenarios {
    static let logs: [Scenario] = [
        Scenario("logs: every request is a line with PocketBase's keys; errors at level 8 with their details", tags: [.mutating, .needsSuperuser]) {
            ctx in
            let su = try await ctx.superuser()
            let agent = "contract-logs-\(ctx.runID)"
            try await ctx.send("GET", "/api/health?probe=%41", headers: [("User-Agent", agent), ("Referer", "http://example.test/")])
            try await ctx.send("GET", "/api/nope-\(ctx.runID)", headers: [("User-Agent", agent)])
            try await ctx.send("GET", "/api/settings", token: su, headers: [("User-Agent", agent)])
            try await ctx.send(
                "POST", "/api/collections/users/auth-with-password", json: .obj(["identity": "nobody@example.com", "password": "wrong-password"]),
                headers: [("User-Agent", agent)])
            let lines = try await ctx.logLines("data.userAgent = '\(agent)'", count: 4, token: su)
            try expect(lines.count == 4, "4 lines for the 4 requests, got \(lines.count): \(lines)")
            for line in lines {
                try expect(line.objectValue?.keys == ["id", "created", "data", "message", "level"], "log key order: \(line)")
                try expect(line["id"]?.stringValue?.count == 15, "id: \(line)")
                try expect(line["created"]?.stringValue.flatMap(PBDate.parse) != nil, "created: \(line)")
            }
            let health = lines[0]
            try expect(health["message"] == "GET /api/health?probe=A", "message is method + unescaped URI: \(health)")
            try expect(health["level"] == .number(0), "success level 0")
            let hd = health["data"]?.objectValue
            try expect(
                hd?.keys == ["auth", "execTime", "method", "referer", "remoteIP", "status", "type", "url", "userAgent", "userIP"],
                "success data keys: \(health)")
            try expect(hd?["url"] == "/api/health?probe=%41" && hd?["method"] == "GET" && hd?["status"] == .number(200), "url/method/status")
            try expect(hd?["referer"] == "http://example.test/" && hd?["type"] == "request" && hd?["auth"] == "", "referer/type/auth")
            try expect((hd?["execTime"]?.numberValue ?? -1) >= 0, "execTime")
            try expect(hd?["userIP"]?.stringValue?.isEmpty == false && hd?["remoteIP"] == hd?["userIP"], "ips: \(health)")
            let missing = lines[1]
            try expect(missing["level"] == .number(8), "error level 8")
            let md = missing["data"]?.objectValue
            try expect(
                md?.keys == ["auth", "details", "error", "execTime", "method", "referer", "remoteIP", "status", "type", "url", "userAgent", "userIP"],
                "error data keys: \(missing)")
            try expect(md?["error"] == "File not found." && md?["details"] == .null && md?["status"] == .number(404), "404 line: \(missing)")
            try expect(lines[2]["data"]?["auth"] == "_superusers", "auth is the collection name: \(lines[2])")
            let login = lines[3]["data"]
            try expect(login?["error"] == "Failed to authenticate." && login?["details"] == "invalid login credentials", "login failure: \(lines[3])")

            // One line by id; unknown ids 404.
            let id = health["id"]?.stringValue ?? ""
            let one = try await ctx.send("GET", "/api/logs/\(id)", token: su)
            try expectStatus(one, 200)
            try expect(try one.json() == health, "view equals the list item: \(one.text)")
            try expectError(try await ctx.send("GET", "/api/logs/nope\(ctx.runID)", token: su), 404, "The requested resource wasn't found.")
        },
        Scenario("logs: validation failures log their field messages; filter, sort, fields and paging", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let agent = "contract-logs2-\(ctx.runID)"
            let bad = try await ctx.send(
                "POST", "/api/collections/users/records", json: .obj(["email": "not-an-email", "password": "x"]), headers: [("User-Agent", agent)])
            try expectStatus(bad, 400)
            for i in 0..<3 { try await ctx.send("GET", "/api/health?n=\(i)", headers: [("User-Agent", agent)]) }
            let lines = try await ctx.logLines("data.userAgent = '\(agent)'", count: 4, token: su)
            try expect(lines.count == 4, "4 lines: \(lines)")
            // The validator's raw words (ozzo's lower-case "cannot be blank"), not the API's sentence.
            let details = lines[0]["data"]?["details"]
            try expect(
                details == .obj(["data": .obj(["passwordConfirm": "cannot be blank"]), "raw": "passwordConfirm: cannot be blank."]),
                "validation details: \(String(describing: details))")

            let base = "/api/logs?filter=" + ScenarioContext.encode("data.userAgent = '\(agent)' && data.status = 200")
            let page = try await ctx.send("GET", base + "&sort=-data.url&perPage=2&page=1&fields=message,level", token: su)
            try expectStatus(page, 200)
            let pj = try page.json()
            try expect(pj["totalItems"] == .number(3) && pj["totalPages"] == .number(2) && pj["perPage"] == .number(2), "paging: \(page.text)")
            try expect(
                pj["items"] == .array([.obj(["level": 0, "message": "GET /api/health?n=2"]), .obj(["level": 0, "message": "GET /api/health?n=1"])]),
                "sorted by a data path, projected: \(page.text)")
            let skip = try await ctx.send("GET", base + "&skipTotal=1&sort=@rowid", token: su)
            try expect(try skip.json()["totalItems"] == .number(-1), "skipTotal: \(skip.text)")
            try expectError(try await ctx.send("GET", "/api/logs?filter=bad((", token: su), 400, "Something went wrong while processing your request.")
            try expectError(try await ctx.send("GET", "/api/logs?sort=nope", token: su), 400, "Something went wrong while processing your request.")
            try expectError(try await ctx.send("GET", "/api/logs?filter=" + ScenarioContext.encode("datax.a = 1"), token: su), 400, "Something went wrong while processing your request.")
        },
        Scenario("logs: hourly stats with a filter; superusers only; the logs API's own successes are not logged", tags: [.mutating, .needsSuperuser]) {
            ctx in
            let su = try await ctx.superuser()
            let agent = "contract-logs3-\(ctx.runID)"
            for _ in 0..<3 { try await ctx.send("GET", "/api/health", headers: [("User-Agent", agent)]) }
            _ = try await ctx.logLines("data.userAgent = '\(agent)'", count: 3, token: su)
            let stats = try await ctx.send("GET", "/api/logs/stats?filter=" + ScenarioContext.encode("data.userAgent = '\(agent)'"), token: su)
            try expectStatus(stats, 200)
            let buckets = try stats.json().arrayValue ?? []
            let total = buckets.reduce(0) { $0 + ($1["total"]?.numberValue ?? 0) }
            try expect(total == 3, "3 requests in the stats: \(stats.text)")
            for b in buckets {
                try expect(b.objectValue?.keys == ["date", "total"], "bucket keys: \(b)")
                let date = b["date"]?.stringValue ?? ""
                try expect(date.hasSuffix(":00:00.000Z") && date.count == 24, "hourly bucket date: \(date)")
            }
            try expectError(try await ctx.send("GET", "/api/logs/stats?filter=bad((", token: su), 400, "Invalid filter format.")
            let all = try await ctx.send("GET", "/api/logs/stats", token: su)
            try expect(try all.json().arrayValue?.isEmpty == false, "unfiltered stats: \(all.text)")

            // Guests 401, other auth records 403 (and those refusals are logged).
            try expectError(try await ctx.send("GET", "/api/logs", headers: [("User-Agent", agent)]), 401, "The request requires valid record authorization token.")
            let user = try await ctx.user("logs")
            try expectError(try await ctx.send("GET", "/api/logs/stats", token: user.token), 403, "The authorized record is not allowed to perform this action.")
            let refused = try await ctx.logLines("data.userAgent = '\(agent)' && data.status = 401", count: 1, token: su)
            try expect(refused.count == 1 && refused[0]["data"]?["url"] == "/api/logs", "the refused logs call is logged: \(refused)")
            let own = try await ctx.send("GET", "/api/logs?filter=" + ScenarioContext.encode("data.url ~ '/api/logs' && data.status = 200"), token: su)
            try expect(try own.json()["totalItems"] == .number(0), "successful logs API calls are not logged: \(own.text)")
        },
        Scenario("logs: minLevel drops info lines, maxDays 0 stops logging; trusted proxy headers set userIP", tags: [.mutating, .destructive, .needsSuperuser]) {
            ctx in
            let su = try await ctx.superuser()
            @Sendable func patch(_ body: JSONValue) async throws {
                try expectStatus(try await ctx.send("PATCH", "/api/settings", json: body, token: su), 200, "settings patch \(body)")
            }
            ctx.cleanup {
                _ = try? await ctx.send(
                    "PATCH", "/api/settings",
                    json: .obj([
                        "logs": .obj(["maxDays": 5, "minLevel": 0, "logIP": true, "logAuthId": false]),
                        "trustedProxy": .obj(["headers": .array([]), "useLeftmostIP": false]),
                    ]), token: su)
            }
            let agent = "contract-logs4-\(ctx.runID)"
            try await patch(.obj(["logs": .obj(["minLevel": 8, "logAuthId": true])]))
            try await ctx.send("GET", "/api/health?level=info", headers: [("User-Agent", agent)])
            try await ctx.send("GET", "/api/settings", token: su, headers: [("User-Agent", agent)])
            try await ctx.send("GET", "/api/nope?level=error", headers: [("User-Agent", agent)])
            let errorsOnly = try await ctx.logLines("data.userAgent = '\(agent)' && data.status = 404", count: 1, token: su)
            try expect(errorsOnly.count == 1, "the error is logged: \(errorsOnly)")
            let infos = try await ctx.send("GET", "/api/logs?filter=" + ScenarioContext.encode("data.userAgent = '\(agent)' && level < 8"), token: su)
            try expect(try infos.json()["totalItems"] == .number(0), "info lines below minLevel are dropped: \(infos.text)")

            // logAuthId adds authId; logIP false drops both addresses.
            try await patch(.obj(["logs": .obj(["minLevel": 0, "logIP": false, "logAuthId": true])]))
            try await ctx.send("GET", "/api/settings", token: su, headers: [("User-Agent", agent)])
            let authLine = try await ctx.logLines("data.userAgent = '\(agent)' && data.status = 200", count: 1, token: su)
            let ad = authLine.first?["data"]?.objectValue
            try expect(ad?["authId"]?.stringValue?.count == 15 && ad?["userIP"] == nil && ad?["remoteIP"] == nil, "authId, no IPs: \(authLine)")

            // Trusted proxy: the last value of the header, read from the right unless useLeftmostIP.
            try await patch(.obj(["logs": .obj(["logIP": true, "logAuthId": false]), "trustedProxy": .obj(["headers": ["X-Forwarded-For"]])]))
            let proxied = try await ctx.send(
                "GET", "/api/health", token: su, headers: [("X-Forwarded-For", "203.0.113.7, 198.51.100.9, not-an-ip"), ("User-Agent", agent + "-proxy")])
            try expect(try proxied.json()["data"]?["realIP"] == "198.51.100.9", "rightmost valid IP: \(proxied.text)")
            try expect(try proxied.json()["data"]?["possibleProxyHeader"] == "X-Forwarded-For", "possibleProxyHeader: \(proxied.text)")
            try await patch(.obj(["trustedProxy": .obj(["headers": ["X-Forwarded-For"], "useLeftmostIP": true])]))
            let left = try await ctx.send("GET", "/api/health", token: su, headers: [("X-Forwarded-For", "203.0.113.7, 198.51.100.9")])
            try expect(try left.json()["data"]?["realIP"] == "203.0.113.7", "leftmost: \(left.text)")
            let proxyLine = try await ctx.logLines("data.userAgent = '\(agent)-proxy'", count: 1, token: su)
            try expect(proxyLine.first?["data"]?["userIP"] == "198.51.100.9", "userIP is the real IP: \(proxyLine)")
            try expect(proxyLine.first?["data"]?["remoteIP"] != "198.51.100.9", "remoteIP is the socket's: \(proxyLine)")

            // maxDays 0: nothing is logged any more.
            try await patch(.obj(["logs": .obj(["maxDays": 0])]))
            try await ctx.send("GET", "/api/nope?off=1", headers: [("User-Agent", agent + "-off")])
            try await Task.sleep(for: .seconds(4))
            let off = try await ctx.send("GET", "/api/logs?filter=" + ScenarioContext.encode("data.userAgent = '\(agent)-off'"), token: su)
            try expect(try off.json()["totalItems"] == .number(0), "maxDays 0 logs nothing: \(off.text)")
        },
    ]
}
