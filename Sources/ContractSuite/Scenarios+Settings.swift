import Foundation
import PBJSON

extension ScenarioContext {
    /// Snapshots the settings and restores every section after the scenario (secrets are not readable, but a PATCH
    /// that omits them keeps the stored ones, and these scenarios never change them).
    func restoringSettings(_ su: String) async throws {
        let r = try await send("GET", "/api/settings", token: su)
        try expectStatus(r, 200, "settings snapshot")
        let snapshot = try r.json()
        cleanup { [self] in
            let restored = try? await send("PATCH", "/api/settings", json: snapshot, token: su)
            if restored?.status != 200 { print("settings restore failed: \(restored?.text ?? "no response")") }
        }
    }

    /// PATCH /api/settings with a raw JSON body.
    func patchSettings(_ body: String, _ su: String) async throws -> ContractResponse {
        try await send("PATCH", "/api/settings", token: su, headers: [("Content-Type", "application/json")], rawBody: Array(body.utf8))
    }
}

extension Scenarios {
    static let saveFailed = #""message":"An error occurred while saving the new settings.","status":400}"#
    static let requiredJSON = #"{"code":"validation_required","message":"Cannot be blank."}"#

    static let settings: [Scenario] = [
        Scenario("settings: every section validates like PocketBase, errors sorted by section and field", tags: [.mutating, .destructive, .needsSuperuser]) {
            ctx in
            let su = try await ctx.superuser()
            try await ctx.restoringSettings(su)
            let req = requiredJSON
            let min0 = #"{"code":"validation_min_greater_equal_than_required","message":"Must be no less than 0.","params":{"threshold":0}}"#
            let min1 = #"{"code":"validation_min_greater_equal_than_required","message":"Must be no less than 1.","params":{"threshold":1}}"#
            let url = #"{"code":"validation_is_url","message":"Must be a valid URL."}"#
            let host = #"{"code":"validation_is_host","message":"Must be a valid IP address or DNS name."}"#
            let inInvalid = #"{"code":"validation_in_invalid","message":"Must be a valid value."}"#
            let length = #"{"code":"validation_length_out_of_range","message":"The length must be between 1 and 255.","params":{"max":255,"min":1}}"#
            func cron(_ message: String) -> String { #"{"data":{"backups":{"cron":{"code":"validation_invalid_cron","message":"\#(message)"}}},"# }
            let long = String(repeating: "x", count: 256)
            let cases: [(String, String)] = [
                (#"{"smtp":{"enabled":true,"host":"","port":0}}"#, #"{"data":{"smtp":{"host":\#(req),"port":\#(req)}},"#),
                (#"{"smtp":{"enabled":false,"host":"bad host!","port":-1}}"#, #"{"data":{"smtp":{"host":\#(host),"port":\#(min0)}},"#),
                (#"{"smtp":{"authMethod":"plain","localName":"bad name!"}}"#, #"{"data":{"smtp":{"authMethod":\#(inInvalid),"localName":\#(host)}},"#),
                (
                    #"{"s3":{"enabled":true}}"#,
                    #"{"data":{"s3":{"accessKey":\#(req),"bucket":\#(req),"endpoint":\#(req),"region":\#(req),"secret":\#(req)}},"#
                ),
                (#"{"s3":{"enabled":false,"endpoint":"http://"}}"#, #"{"data":{"s3":{"endpoint":\#(url)}},"#),
                (
                    #"{"meta":{"appName":"","appURL":"","senderName":"","senderAddress":""}}"#,
                    #"{"data":{"meta":{"appName":\#(req),"appURL":\#(req),"senderAddress":\#(req),"senderName":\#(req)}},"#
                ),
                (
                    #"{"meta":{"appName":"\#(long)","appURL":"not url","senderName":"\#(long)","senderAddress":"bad"}}"#,
                    #"{"data":{"meta":{"appName":\#(length),"appURL":\#(url),"senderAddress":{"code":"validation_is_email","message":"Must be a valid email address."},"senderName":\#(length)}},"#
                ),
                (#"{"logs":{"maxDays":-1}}"#, #"{"data":{"logs":{"maxDays":\#(min0)}},"#),
                (
                    #"{"batch":{"enabled":true,"maxRequests":0,"timeout":0,"maxBodySize":-1}}"#,
                    #"{"data":{"batch":{"maxBodySize":\#(min0),"maxRequests":\#(req),"timeout":\#(req)}},"#
                ),
                (#"{"backups":{"cron":"invalid"}}"#, cron("Invalid cron expression - must be a valid macro or to have exactly 5 space separated segments.")),
                (#"{"backups":{"cron":"@every 5m"}}"#, cron("Invalid cron expression - must be a valid macro or to have exactly 5 space separated segments.")),
                (#"{"backups":{"cron":"61 * * * *"}}"#, cron("Invalid segment value - must be between the min and max of the segment.")),
                (#"{"backups":{"cron":"* * * * 7"}}"#, cron("Invalid segment value - must be between the min and max of the segment.")),
                (#"{"backups":{"cron":"*/0 * * * *"}}"#, cron("Invalid segment step boundary - the step must be between 1 and the 59.")),
                (#"{"backups":{"cron":"* */24 * * *"}}"#, cron("Invalid segment step boundary - the step must be between 1 and the 23.")),
                (
                    #"{"backups":{"cron":"5/2 * * * *"}}"#,
                    cron(#"Invalid segement step - step \u003e 1 could be used only with the wildcard or range format."#)
                ),
                (#"{"backups":{"cron":"a * * * *"}}"#, cron(#"Strconv.Atoi: parsing \"a\": invalid syntax."#)),
                (#"{"backups":{"cron":"1-2-3 * * * *"}}"#, cron("Invalid segment range format - the range must have 1 or 2 parts.")),
                (#"{"backups":{"cron":"5-1 * * * *"}}"#, cron("Invalid segment range maximum - must be between 5 and 59.")),
                (#"{"backups":{"cron":"* 30-40 * * *"}}"#, cron("Invalid segment range minimum - must be between 0 and 23.")),
                (#"{"backups":{"cron":"@daily","cronMaxKeep":0}}"#, #"{"data":{"backups":{"cronMaxKeep":\#(req)}},"#),
                (
                    #"{"backups":{"cron":"","cronMaxKeep":-1,"s3":{"enabled":true,"endpoint":"x y"}}}"#,
                    #"{"data":{"backups":{"cronMaxKeep":\#(min1),"s3":{"accessKey":\#(req),"bucket":\#(req),"endpoint":\#(url),"region":\#(req),"secret":\#(req)}}},"#
                ),
                (#"{"rateLimits":{"enabled":true,"rules":[]}}"#, #"{"data":{"rateLimits":{"rules":\#(req)}},"#),
                (
                    #"{"rateLimits":{"rules":[{"label":"","maxRequests":0,"duration":0,"audience":"x"}]}}"#,
                    #"{"data":{"rateLimits":{"rules":{"0":{"audience":\#(inInvalid),"duration":\#(req),"label":\#(req),"maxRequests":\#(req)}}}},"#
                ),
                (
                    #"{"rateLimits":{"rules":[{"label":"/ok","maxRequests":-1,"duration":-1,"audience":"@all"}]}}"#,
                    #"{"data":{"rateLimits":{"rules":{"0":{"audience":\#(inInvalid),"duration":\#(min1),"maxRequests":\#(min1)}}}},"#
                ),
                (
                    #"{"rateLimits":{"rules":[{"label":"bad label","maxRequests":1,"duration":1,"audience":""},{"label":"/ok","maxRequests":1,"duration":1,"audience":""},{"label":"x","maxRequests":0,"duration":1,"audience":""}]}}"#,
                    #"{"data":{"rateLimits":{"rules":{"0":{"label":{"code":"validation_match_invalid","message":"Must be in a valid format."}},"2":{"maxRequests":\#(req)}}}},"#
                ),
                (
                    #"{"rateLimits":{"rules":[{"label":"a","maxRequests":1,"duration":1,"audience":""},{"label":"b","maxRequests":1,"duration":1,"audience":""},{"label":"a","maxRequests":1,"duration":1,"audience":""},{"label":"bad label","maxRequests":1,"duration":1,"audience":""}]}}"#,
                    #"{"data":{"rateLimits":{"rules":{"3":{"label":{"code":"validation_match_invalid","message":"Must be in a valid format."}}}}},"#
                ),
                (
                    #"{"rateLimits":{"rules":[{"label":"/api/a","maxRequests":1,"duration":1,"audience":"@guest"},{"label":"/api/a","maxRequests":1,"duration":1,"audience":"@auth"},{"label":"/api/a","maxRequests":1,"duration":1,"audience":""}]}}"#,
                    #"{"data":{"rateLimits":{"rules":{"2":{"label":{"code":"validation_conflicting_rate_limit_rule","message":"Rate limit rule configuration with label /api/a already exists or conflicts with another rule.","params":{"label":"/api/a"}}}}}},"#
                ),
                (
                    #"{"batch":{"enabled":true,"maxRequests":0,"timeout":0},"logs":{"maxDays":-1},"meta":{"appName":""},"rateLimits":{"enabled":true,"rules":null},"smtp":{"enabled":true,"host":""}}"#,
                    #"{"data":{"batch":{"maxRequests":\#(req),"timeout":\#(req)},"logs":{"maxDays":\#(min0)},"meta":{"appName":\#(req)},"rateLimits":{"rules":\#(req)},"smtp":{"host":\#(req)}},"#
                ),
            ]
            for (body, expected) in cases {
                let r = try await ctx.patchSettings(body, su)
                try expectStatus(r, 400, body)
                try expect(r.text == expected + saveFailed + "\n", "\(body)\n  expected \(expected + saveFailed)\n  got      \(r.text)")
            }
            // Nothing above was saved.
            let after = try await ctx.send("GET", "/api/settings", token: su)
            try expect(try after.json()["smtp"]?["authMethod"] != "plain", "a failed PATCH saves nothing: \(after.text)")

            // Loading errors come before validation; unknown keys are ignored.
            for body in [
                #"{"smtp":{"tls":"yes"}}"#, #"{"smtp":{"port":"587"}}"#, #"{"trustedProxy":{"headers":"X-Real-IP"}}"#,
                #"{"trustedProxy":{"headers":[1]}}"#, #"{"rateLimits":{"rules":["x"]}}"#, #"{"rateLimits":{"rules":[{"duration":1.5}]}}"#, "{bad",
            ] {
                try expectError(try await ctx.patchSettings(body, su), 400, "An error occurred while loading the submitted data.")
            }
            try expectStatus(try await ctx.patchSettings(#"{"nope":1,"meta":{"nope":2}}"#, su), 200, "unknown keys")

            // Edge values PocketBase accepts.
            for body in [
                #"{"smtp":{"enabled":false,"host":"","port":0}}"#, #"{"smtp":{"port":70000,"authMethod":"LOGIN"}}"#, #"{"meta":{"appName":"   "}}"#,
                #"{"logs":{"maxDays":100000,"minLevel":-100}}"#, #"{"batch":{"enabled":false,"maxRequests":0,"timeout":0}}"#,
                #"{"backups":{"cron":"","cronMaxKeep":0}}"#, #"{"backups":{"cron":"*/5 1-3,7 * 1-12/2 0","cronMaxKeep":1}}"#,
                #"{"backups":{"cron":"@hourly","cronMaxKeep":100000}}"#, #"{"backups":{"cron":""}}"#,
                #"{"trustedProxy":{"headers":["X-Forwarded-For","","bad header!"],"useLeftmostIP":true}}"#,
            ] {
                let r = try await ctx.patchSettings(body, su)
                try expectStatus(r, 200, body)
            }
            let saved = try await ctx.send("GET", "/api/settings", token: su)
            try expect(
                saved.text.contains(#""trustedProxy":{"headers":["X-Forwarded-For","","bad header!"],"useLeftmostIP":true}"#),
                "headers stored verbatim: \(saved.text)")
            let cleared = try await ctx.patchSettings(#"{"trustedProxy":{"headers":null,"useLeftmostIP":false}}"#, su)
            try expect(cleared.text.contains(#""trustedProxy":{"headers":[],"useLeftmostIP":false}"#), "null headers → []: \(cleared.text)")
        },

        Scenario("settings: URL, host, email and label formats are govalidator's and PocketBase's", tags: [.mutating, .destructive, .needsSuperuser]) {
            ctx in
            let su = try await ctx.superuser()
            try await ctx.restoringSettings(su)
            func check(_ body: String, ok: Bool, _ field: String) async throws {
                let r = try await ctx.patchSettings(body, su)
                try expect(r.status == (ok ? 200 : 400), "\(body) → \(r.status) \(r.text.prefix(300))")
                if !ok { try expect(r.text.contains(field), "\(body): error on \(field): \(r.text)") }
            }
            for value in [
                "http://localhost:8090", "https://example.com/path?x=1", "localhost:8090", "http://localhost", "http://127.0.0.1", "ftp://x.y",
                "http://exa_mple.com", "http://localhost:99999", "mailto:x@y.z",
            ] {
                try await check(#"{"meta":{"appURL":"\#(value)"}}"#, ok: true, "appURL")
            }
            for value in ["localhost", "example", "http://", "http://a b", "//example.com", "x://y", "javascript:alert(1)", "not url"] {
                try await check(#"{"meta":{"appURL":"\#(value)"}}"#, ok: false, #""appURL":{"code":"validation_is_url""#)
            }
            for value in ["ftp://x", "example.com", ""] { try await check(#"{"s3":{"endpoint":"\#(value)"}}"#, ok: true, "endpoint") }
            for value in ["smtp.example.com", "localhost", "127.0.0.1", "::1", "exa_mple.com"] {
                try await check(#"{"smtp":{"host":"\#(value)","localName":"\#(value)"}}"#, ok: true, "host")
            }
            for value in ["[::1]", "-a.com", "a..b", "smtp.example.com:587", String(repeating: "a", count: 64) + ".com"] {
                try await check(#"{"smtp":{"host":"\#(value)"}}"#, ok: false, #""host":{"code":"validation_is_host""#)
            }
            for value in ["a@b.co", "a+b@c.d"] { try await check(#"{"meta":{"senderAddress":"\#(value)"}}"#, ok: true, "senderAddress") }
            for value in ["a@b", "a@localhost", #"\"a b\"@c.d"#, "A@B.CO ", "a@[127.0.0.1]"] {
                try await check(#"{"meta":{"senderAddress":"\#(value)"}}"#, ok: false, #""senderAddress":{"code":"validation_is_email""#)
            }
            func rule(_ label: String) -> String {
                #"{"rateLimits":{"enabled":false,"rules":[{"label":"\#(label)","maxRequests":1,"duration":1,"audience":""}]}}"#
            }
            for label in [
                "/api/", "/api/health", "/", "POST /api/collections/x/records", "post /api/x", "GET", "GET /", "users:create", "*:auth", "test_a",
                "users:listAuthMethods",
            ] {
                try await check(rule(label), ok: true, "label")
            }
            for label in [
                "POST  /api/x", "* /api/x", "users:*", "*", "a-b", "tag.x", "/api/{x}", "/api/x?y=1", "users:", "u s", "/api/ü", "*:", "a:b:c", "/a b",
                "POST api/x",
            ] {
                try await check(rule(label), ok: false, #""label":{"code":"validation_match_invalid""#)
            }
            // Conflicts: the same label for everyone and for one audience; @guest and @auth coexist; prefixes of labels do not.
            func rules(_ pairs: [(String, String)]) -> String {
                let items = pairs.map { #"{"label":"\#($0.0)","maxRequests":1,"duration":1,"audience":"\#($0.1)"}"# }
                return #"{"rateLimits":{"rules":[\#(items.joined(separator: ","))]}}"#
            }
            try await check(rules([("/api/a", "@guest"), ("/api/a", "@auth"), ("/api/ab", ""), ("/api/", ""), ("/api/health", "")]), ok: true, "")
            try await check(rules([("/api/a", "@auth"), ("/api/a", "")]), ok: false, #""1":{"label":{"code":"validation_conflicting_rate_limit_rule""#)
            try await check(rules([("/api/a", ""), ("/api/a", "@guest")]), ok: false, #""1":{"label":{"code":"validation_conflicting_rate_limit_rule""#)
        },

        Scenario("settings: a PATCHed array element is decoded on top of the old element at its index", tags: [.mutating, .destructive, .needsSuperuser]) {
            ctx in
            let su = try await ctx.superuser()
            try await ctx.restoringSettings(su)
            let defaults =
                #"[{"label":"*:auth","audience":"","duration":3,"maxRequests":2},{"label":"*:create","audience":"","duration":5,"maxRequests":20},{"label":"/api/batch","audience":"","duration":1,"maxRequests":3},{"label":"/api/","audience":"","duration":10,"maxRequests":300}]"#
            let reset = try await ctx.patchSettings(#"{"rateLimits":{"enabled":false,"rules":\#(defaults)}}"#, su)
            try expect(reset.text.contains(#""rateLimits":{"rules":\#(defaults),"enabled":false}"#), "defaults restored: \(reset.text)")
            let one = try await ctx.patchSettings(#"{"rateLimits":{"rules":[{"label":"/api/health","maxRequests":7}]}}"#, su)
            try expect(
                one.text.contains(#""rateLimits":{"rules":[{"label":"/api/health","audience":"","duration":3,"maxRequests":7}],"enabled":false}"#),
                "duration inherited from the old rule 0: \(one.text)")
            // Past the old length elements start zeroed.
            let two = try await ctx.patchSettings(#"{"rateLimits":{"rules":[{"label":"/api/a"},{"label":"/api/b","audience":"@guest"}]}}"#, su)
            try expect(
                two.text == #"{"data":{"rateLimits":{"rules":{"1":{"duration":\#(requiredJSON),"maxRequests":\#(requiredJSON)}}}},"# + saveFailed + "\n",
                "second rule zeroed: \(two.text)")
            let null = try await ctx.patchSettings(#"{"rateLimits":{"rules":[null]}}"#, su)
            try expect(null.text.contains(#""rules":[{"label":"/api/health","audience":"","duration":3,"maxRequests":7}]"#), "null element keeps the old one: \(null.text)")
        },

        Scenario("settings: rate limits answer 429 per rule, client and collection route; superusers are never limited",
            tags: [.mutating, .destructive, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            try await ctx.restoringSettings(su)
            func enable(_ rules: String) async throws {
                let r = try await ctx.patchSettings(#"{"rateLimits":{"enabled":true,"rules":\#(rules)}}"#, su)
                try expectStatus(r, 200, "enable rate limits")
            }
            func status(_ method: String, _ path: String, token: String? = nil, json: JSONValue? = nil) async throws -> Int {
                try await ctx.send(method, path, json: json, token: token).status
            }

            try await enable(#"[{"label":"/api/health","maxRequests":2,"duration":30,"audience":""}]"#)
            try expect(try await status("GET", "/api/health") == 200, "1st")
            try expect(try await status("HEAD", "/api/health") == 200, "HEAD shares the counter of its path")
            let limited = try await ctx.send("GET", "/api/health")
            try expectError(limited, 429, "Too Many Requests.")
            try expectPocketBaseJSON(limited)
            try expect(limited.text == #"{"data":{},"message":"Too Many Requests.","status":429}"# + "\n", "429 body: \(limited.text)")
            try expect(limited.header("X-Frame-Options") == "SAMEORIGIN" && limited.header("Retry-After") == nil, "429 headers")
            for _ in 0..<3 { try expect(try await status("GET", "/api/health", token: su) == 200, "superusers skip the limits") }

            // Saving the settings drops the windows; rules for one audience leave the other alone and fall through to the next rule.
            try await enable(
                #"[{"label":"/api/health","maxRequests":1,"duration":30,"audience":"@auth"},{"label":"/api/","maxRequests":2,"duration":30,"audience":"@guest"}]"#
            )
            try expect(try await status("GET", "/api/health") == 200, "after save")
            try expect(try await status("GET", "/api/nope-\(ctx.runID)") == 404, "the /api/ prefix counter is shared by every path")
            try expect(try await status("GET", "/api/health") == 429, "3rd guest request under /api/")

            // Collection routes: `*:auth` counts per collection (and route); `users:list` only for the list.
            try await enable(
                #"[{"label":"*:auth","maxRequests":1,"duration":30,"audience":""},{"label":"users:list","maxRequests":1,"duration":30,"audience":""},{"label":"/api/","maxRequests":1,"duration":30,"audience":""}]"#
            )
            let login = JSONValue.obj(["identity": .string("nobody-\(ctx.runID)@example.com"), "password": "wrong-password"])
            for collection in ["users", "_superusers"] {
                let path = "/api/collections/\(collection)/auth-with-password"
                try expect(try await status("POST", path, json: login) == 400, "\(collection) first login")
                try expect(try await status("POST", path, json: login) == 429, "\(collection) second login")
            }
            try expect(try await status("GET", "/api/collections/users/records") != 429, "list 1")
            try expect(try await status("GET", "/api/collections/users/records") == 429, "list 2")
            try expect(try await status("GET", "/api/collections/users/records/nope\(ctx.runID)") == 404, "view has its own counter")
            try expect(try await status("GET", "/api/collections/users/records/nope\(ctx.runID)") == 429, "view 2")
            try expect(try await status("GET", "/api/health") == 200, "the global /api/ counter is separate from collection routes")
            try expect(try await status("GET", "/api/health") == 429, "global 2")

            // Disabled: nothing is limited.
            try expectStatus(try await ctx.patchSettings(#"{"rateLimits":{"enabled":false}}"#, su), 200, "disable")
            for _ in 0..<3 { try expect(try await status("GET", "/api/health") == 200, "disabled") }
        },
    ]
}
