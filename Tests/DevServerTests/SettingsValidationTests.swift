import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// PATCH /api/settings validation (bodies verified against PocketBase 0.23.12) and its building blocks: the cron
/// parser, govalidator's formats, the rate limit label pattern and conflicts, Go's array binding.
@Suite struct SettingsValidationTests {
    static let saveFailed = #""message":"An error occurred while saving the new settings.","status":400}"#

    static func patch(_ client: some TestClientProtocol, _ token: String, _ body: String) async throws -> (HTTPResponse.Status, String) {
        let r = try await client.execute(
            uri: "/api/settings", method: .patch, headers: [.contentType: "application/json", .authorization: token], body: ByteBuffer(string: body))
        return (r.status, String(buffer: r.body).trimmingCharacters(in: .newlines))
    }

    // MARK: cron

    @Test func cronErrorsAreWordedLikeGo() {
        let cases: [(String, String)] = [
            ("invalid", "invalid cron expression - must be a valid macro or to have exactly 5 space separated segments"),
            ("* * * *", "invalid cron expression - must be a valid macro or to have exactly 5 space separated segments"),
            ("@every 5m", "invalid cron expression - must be a valid macro or to have exactly 5 space separated segments"),
            ("61 * * * *", "invalid segment value - must be between the min and max of the segment"),
            ("* * * * 7", "invalid segment value - must be between the min and max of the segment"),
            ("*/0 * * * *", "invalid segment step boundary - the step must be between 1 and the 59"),
            ("*/60 * * * *", "invalid segment step boundary - the step must be between 1 and the 59"),
            ("5/2 * * * *", "invalid segement step - step > 1 could be used only with the wildcard or range format"),
            ("a * * * *", #"strconv.Atoi: parsing "a": invalid syntax"#),
            ("1-2-3 * * * *", "invalid segment range format - the range must have 1 or 2 parts"),
            ("5-1 * * * *", "invalid segment range maximum - must be between 5 and 59"),
            ("* 30-40 * * *", "invalid segment range minimum - must be between 0 and 23"),
            ("1/2/3 * * * *", "invalid segment step format - must be in the format */n or 1-30/n"),
            ("*  * * *", #"strconv.Atoi: parsing "": invalid syntax"#),
            ("99999999999999999999 * * * *", #"strconv.Atoi: parsing "99999999999999999999": value out of range"#),
        ]
        for (expression, message) in cases {
            #expect(throws: CronSchedule.ParseError(description: message), "\(expression)") { try CronSchedule.parse(expression) }
        }
    }

    @Test func cronSchedulesMatchUTCMinutes() throws {
        let every = try CronSchedule.parse("*/15 9-17 * * 1-5")
        #expect(every.minutes == [0, 15, 30, 45] && every.hours == Set(9...17) && every.daysOfWeek == Set(1...5))
        // 2026-12-02 is a Wednesday.
        let wednesday0915 = try #require(ISO8601DateFormatter().date(from: "2026-12-02T09:15:30Z"))
        #expect(every.isDue(wednesday0915))
        #expect(!every.isDue(wednesday0915.addingTimeInterval(60)))
        let sunday = try #require(ISO8601DateFormatter().date(from: "2026-12-06T09:15:00Z"))
        #expect(!every.isDue(sunday))
        let weekly = try CronSchedule.parse("@weekly")
        #expect(weekly.isDue(try #require(ISO8601DateFormatter().date(from: "2026-12-06T00:00:59Z"))))
        #expect(try CronSchedule.parse("1,5-7,*/30 0 1 1 *").minutes == [0, 1, 5, 6, 7, 30])
    }

    // MARK: formats

    @Test func urlsHostsAndEmailsFollowGovalidator() {
        for url in [
            "http://localhost:8090", "https://example.com/path?x=1", "localhost:8090", "http://localhost", "http://127.0.0.1", "ftp://x.y",
            "http://exa_mple.com", "http://localhost:99999", "mailto:x@y.z", "ftp://x", "example.com",
        ] {
            #expect(GoValidator.isURL(url), "\(url)")
        }
        for url in ["localhost", "example", "http://", "http://a b", "//example.com", "x://y", "javascript:alert(1)", "not url"] {
            #expect(!GoValidator.isURL(url), "\(url)")
        }
        for host in ["smtp.example.com", "localhost", "127.0.0.1", "::1", "exa_mple.com"] {
            #expect(GoValidator.isHost(host), "\(host)")
        }
        for host in ["[::1]", "-a.com", "a..b", "smtp.example.com:587", String(repeating: "a", count: 64) + ".com", "bad host!"] {
            #expect(!GoValidator.isHost(host), "\(host)")
        }
        for email in ["a@b.co", "a+b@c.d"] { #expect(GoValidator.isEmail(email), "\(email)") }
        for email in ["a@b", "a@localhost", "\"a b\"@c.d", "A@B.CO ", "a@[127.0.0.1]", "bad"] { #expect(!GoValidator.isEmail(email), "\(email)") }
    }

    @Test func urlCheckStaysFastOnAdversarialInput() {
        let started = ContinuousClock.now
        for input in [
            String(repeating: "a", count: 2000) + "!", String(repeating: "a-", count: 1000) + "!", String(repeating: "a.", count: 1000) + "!",
            "http://" + String(repeating: "a1-", count: 690) + "!", "http://" + String(repeating: "a1-", count: 690),
            "http://" + String(repeating: "a1.", count: 690) + "-", "http://" + String(repeating: "a1-", count: 690) + "---a",
            String(repeating: "a@", count: 1000) + "!", "http://" + String(repeating: "a:@", count: 690) + "-", "x@" + String(repeating: "a1-", count: 690) + "-", String(repeating: "a", count: 1000) + ":" + String(repeating: "1", count: 1000),
        ] {
            #expect(!GoValidator.isURL(input))
        }
        // Go's RE2 is linear; ICU backtracks, so long hosts are cut off first (see `hostCharactersFit`).
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    // MARK: rate limit rules

    @Test func labelsMatchPocketBasesPattern() {
        for label in [
            "/api/", "/api/health", "/", "POST /api/collections/x/records", "post /api/x", "GET", "GET /", "users:create", "*:auth", "*:create",
            "test_a", "users:listAuthMethods",
        ] {
            #expect(RateLimitRule.isValidLabel(label), "\(label)")
        }
        for label in [
            "POST  /api/x", "* /api/x", "users:*", "*", "a-b", "tag.x", "/api/{x}", "/api/x?y=1", "users:", "u s", "/api/ü", "*:", "a:b:c", "/a b",
            "POST api/x", "",
        ] {
            #expect(!RateLimitRule.isValidLabel(label), "\(label)")
        }
    }

    @Test func conflictsComparePrefixesOfLabelAndAudience() {
        func rules(_ pairs: [(String, String)]) -> [RateLimitRule] {
            pairs.map { RateLimitRule(label: $0.0, audience: $0.1, duration: 1, maxRequests: 1) }
        }
        #expect(RateLimitRule.firstConflict(rules([("/api/a", ""), ("/api/a", "@guest")]))?.index == 1)
        #expect(RateLimitRule.firstConflict(rules([("/api/a", "@auth"), ("/api/a", "")]))?.index == 1)
        #expect(RateLimitRule.firstConflict(rules([("/api/a", "@guest"), ("/api/a", "@auth"), ("/api/a", "")]))?.index == 2)
        #expect(RateLimitRule.firstConflict(rules([("/api/a", ""), ("/api/ab", ""), ("/api/", ""), ("/api/health", "")])) == nil)
    }

    @Test func findPrefersEarlierLabelsThenRuleOrder() {
        func limits(_ labels: [(String, String)]) -> RateLimits {
            RateLimits(enabled: true, rules: labels.map { RateLimitRule(label: $0.0, audience: $0.1, duration: 1, maxRequests: 1) })
        }
        let search = ["GET /api/health", "/api/health"]
        let guest = RateLimits.guestAudiences
        #expect(limits([("/api/health", ""), ("GET /api/health", "")]).find(search, audiences: guest)?.label == "GET /api/health")
        #expect(limits([("/api/health", ""), ("GET /api/", "")]).find(search, audiences: guest)?.label == "GET /api/")
        #expect(limits([("/api/", ""), ("GET /api/health", "")]).find(search, audiences: guest)?.label == "GET /api/health")
        #expect(limits([("/api/", ""), ("/", "")]).find(search, audiences: guest)?.label == "/api/")
        #expect(limits([("/api/health/", "")]).find(search, audiences: guest)?.label == "/api/health/")
        #expect(limits([("/api", "")]).find(search, audiences: guest) == nil)
        let mixed = limits([("/api/health", "@auth"), ("/api/", "")])
        #expect(mixed.find(search, audiences: guest)?.label == "/api/")
        #expect(mixed.find(search, audiences: RateLimits.authAudiences)?.label == "/api/health")
    }

    // MARK: the API

    @Test func sectionErrorsComeBackExactlyLikePocketBase() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await StateTests.superuser(client)
            let required = #"{"code":"validation_required","message":"Cannot be blank."}"#
            let cases: [(String, String)] = [
                (
                    #"{"smtp":{"enabled":true,"host":"bad host!","port":-1}}"#,
                    #"{"data":{"smtp":{"host":{"code":"validation_is_host","message":"Must be a valid IP address or DNS name."},"port":{"code":"validation_min_greater_equal_than_required","message":"Must be no less than 0.","params":{"threshold":0}}}},"#
                ),
                (#"{"smtp":{"enabled":true,"host":"","port":0}}"#, #"{"data":{"smtp":{"host":\#(required),"port":\#(required)}},"#),
                (#"{"smtp":{"authMethod":"plain"}}"#, #"{"data":{"smtp":{"authMethod":{"code":"validation_in_invalid","message":"Must be a valid value."}}},"#),
                (
                    #"{"s3":{"enabled":true}}"#,
                    #"{"data":{"s3":{"accessKey":\#(required),"bucket":\#(required),"endpoint":\#(required),"region":\#(required),"secret":\#(required)}},"#
                ),
                (#"{"s3":{"enabled":false,"endpoint":"http://"}}"#, #"{"data":{"s3":{"endpoint":{"code":"validation_is_url","message":"Must be a valid URL."}}},"#),
                (
                    #"{"meta":{"appName":"","appURL":"","senderName":"","senderAddress":""}}"#,
                    #"{"data":{"meta":{"appName":\#(required),"appURL":\#(required),"senderAddress":\#(required),"senderName":\#(required)}},"#
                ),
                (
                    #"{"meta":{"appName":"\#(String(repeating: "x", count: 256))","appURL":"not url","senderName":"\#(String(repeating: "é", count: 256))","senderAddress":"bad"}}"#,
                    #"{"data":{"meta":{"appName":{"code":"validation_length_out_of_range","message":"The length must be between 1 and 255.","params":{"max":255,"min":1}},"appURL":{"code":"validation_is_url","message":"Must be a valid URL."},"senderAddress":{"code":"validation_is_email","message":"Must be a valid email address."},"senderName":{"code":"validation_length_out_of_range","message":"The length must be between 1 and 255.","params":{"max":255,"min":1}}}},"#
                ),
                (
                    #"{"logs":{"maxDays":-1}}"#,
                    #"{"data":{"logs":{"maxDays":{"code":"validation_min_greater_equal_than_required","message":"Must be no less than 0.","params":{"threshold":0}}}},"#
                ),
                (
                    #"{"backups":{"cron":"5/2 * * * *","cronMaxKeep":-1,"s3":{"enabled":true,"endpoint":"x y"}}}"#,
                    #"{"data":{"backups":{"cron":{"code":"validation_invalid_cron","message":"Invalid segement step - step \u003e 1 could be used only with the wildcard or range format."},"cronMaxKeep":{"code":"validation_min_greater_equal_than_required","message":"Must be no less than 1.","params":{"threshold":1}},"s3":{"accessKey":\#(required),"bucket":\#(required),"endpoint":{"code":"validation_is_url","message":"Must be a valid URL."},"region":\#(required),"secret":\#(required)}}},"#
                ),
                (#"{"backups":{"cron":"@daily","cronMaxKeep":0}}"#, #"{"data":{"backups":{"cronMaxKeep":\#(required)}},"#),
                (#"{"rateLimits":{"enabled":true,"rules":null}}"#, #"{"data":{"rateLimits":{"rules":\#(required)}},"#),
                (
                    #"{"rateLimits":{"rules":[{"label":"","maxRequests":0,"duration":0,"audience":"x"}]}}"#,
                    #"{"data":{"rateLimits":{"rules":{"0":{"audience":{"code":"validation_in_invalid","message":"Must be a valid value."},"duration":\#(required),"label":\#(required),"maxRequests":\#(required)}}}},"#
                ),
                (
                    #"{"rateLimits":{"rules":[{"label":"a","maxRequests":1,"duration":1},{"label":"b","maxRequests":1,"duration":1},{"label":"a","maxRequests":1,"duration":1},{"label":"bad label","maxRequests":1,"duration":1}]}}"#,
                    #"{"data":{"rateLimits":{"rules":{"3":{"label":{"code":"validation_match_invalid","message":"Must be in a valid format."}}}}},"#
                ),
                (
                    #"{"rateLimits":{"rules":[{"label":"/api/a","maxRequests":1,"duration":1,"audience":"@guest"},{"label":"/api/a","maxRequests":1,"duration":1,"audience":"@auth"},{"label":"/api/a","maxRequests":1,"duration":1,"audience":""}]}}"#,
                    #"{"data":{"rateLimits":{"rules":{"2":{"label":{"code":"validation_conflicting_rate_limit_rule","message":"Rate limit rule configuration with label /api/a already exists or conflicts with another rule.","params":{"label":"/api/a"}}}}}},"#
                ),
                (
                    #"{"batch":{"enabled":true,"maxRequests":0,"timeout":0,"maxBodySize":-1},"meta":{"appName":""},"smtp":{"enabled":true,"host":""}}"#,
                    #"{"data":{"batch":{"maxBodySize":{"code":"validation_min_greater_equal_than_required","message":"Must be no less than 0.","params":{"threshold":0}},"maxRequests":\#(required),"timeout":\#(required)},"meta":{"appName":\#(required)},"smtp":{"host":\#(required)}},"#
                ),
            ]
            for (body, expected) in cases {
                let (status, text) = try await Self.patch(client, su, body)
                #expect(status == .badRequest, "\(body)")
                #expect(text == expected + Self.saveFailed, "\(body)")
            }
            // Valid edge values are accepted.
            for body in [
                #"{"smtp":{"enabled":false,"host":"","port":0}}"#, #"{"meta":{"appName":"   "}}"#, #"{"logs":{"maxDays":100000,"minLevel":-100}}"#,
                #"{"s3":{"endpoint":"ftp://x"}}"#, #"{"backups":{"cron":"","cronMaxKeep":0}}"#,
                #"{"trustedProxy":{"headers":["X-Forwarded-For","","bad header!"],"useLeftmostIP":true}}"#,
            ] {
                #expect(try await Self.patch(client, su, body).0 == .ok, "\(body)")
            }
            for body in [#"{"trustedProxy":{"headers":"X-Real-IP"}}"#, #"{"rateLimits":{"rules":["x"]}}"#, #"{"trustedProxy":{"headers":[1]}}"#] {
                let (status, text) = try await Self.patch(client, su, body)
                #expect(status == .badRequest && text.contains("loading the submitted data"), "\(body)")
            }
        }
    }

    @Test func rulesDecodeOnTopOfTheOldElementsAndSecretsAreKept() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await StateTests.superuser(client)
            let (status, text) = try await Self.patch(client, su, #"{"rateLimits":{"rules":[{"label":"/api/health","maxRequests":7},{},{},{},{}]}}"#)
            #expect(status == .badRequest)  // the fifth rule starts zeroed
            #expect(text.hasPrefix(#"{"data":{"rateLimits":{"rules":{"4":{"duration":"#))
            let ok = try await Self.patch(client, su, #"{"rateLimits":{"rules":[{"label":"/api/health","maxRequests":7}]}}"#)
            #expect(ok.0 == .ok)
            #expect(ok.1.contains(#""rateLimits":{"rules":[{"label":"/api/health","audience":"","duration":3,"maxRequests":7}],"enabled":false}"#))
            // A secret sent once is kept when later PATCHes omit it, and never shown.
            let s3 = #"{"s3":{"enabled":true,"bucket":"b","region":"r","endpoint":"http://127.0.0.1:9","accessKey":"k","secret":"s"}}"#
            let saved = try await Self.patch(client, su, s3)
            #expect(saved.0 == .ok && !saved.1.contains("secret"))
            #expect(try await Self.patch(client, su, #"{"s3":{"bucket":"b2"}}"#).0 == .ok)
            let cleared = try await Self.patch(client, su, #"{"s3":{"secret":""}}"#)
            #expect(cleared.1.hasPrefix(#"{"data":{"s3":{"secret":{"code":"validation_required""#))
            let headers = try await Self.patch(client, su, #"{"trustedProxy":{"headers":null}}"#)
            #expect(headers.1.contains(#""trustedProxy":{"headers":[],"#))
        }
    }
}

extension SettingsValidationTests {
    @Test func fractionalNumbersDoNotBindToIntegers() throws {
        let current = try #require(try JSONValue.parse(Array(#"{"rateLimits":{"rules":[{"label":"a","audience":"","duration":3,"maxRequests":2}]}}"#.utf8)).objectValue)
        let patch = try #require(try JSONValue.parse(Array(#"{"rateLimits":{"rules":[{"duration":1.5}]}}"#.utf8)).objectValue)
        let bound = SettingsController.bind(patch, into: current)
        #expect(bound == nil, "\(String(describing: bound.map { JSONValue.object($0).encoded() }))")
    }
}
