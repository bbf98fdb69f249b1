import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import Testing
import TurnstileStub

@testable import DevServer
@testable import PocketBase

/// The hook engine: order, tags, short-circuits and PocketBase's error mapping.
@Suite struct HookChainTests {
    struct Failure: Error {}

    @Test func handlersRunInOrderForTheirTagsThenTheFinalStep() async throws {
        let storage = try await TestData.freshStorage()
        let links = try #require(storage.collection("random_short")), users = try #require(storage.collection("users"))
        var hook = Hook<[String]>()
        hook.bind { e, next in try await next(e + ["global"]) }
        hook.bind(tags: ["random_short"]) { e, next in try await next(e + ["by name"]) }
        hook.bind(tags: [users.id]) { e, next in try await next(e + ["by id"]) }
        let seen = NIOLockedValueBox<[String]>([])
        let final: Hook<[String]>.Next = { e in
            seen.withLockedValue { $0 = e + ["final"] }
            return Response(status: .ok)
        }
        _ = try await hook.trigger([], collection: links, final)
        #expect(seen.withLockedValue { $0 } == ["global", "by name", "final"])
        _ = try await hook.trigger([], collection: users, final)
        #expect(seen.withLockedValue { $0 } == ["global", "by id", "final"])
    }

    @Test func aHandlerCanAnswerWithoutCallingNext() async throws {
        let storage = try await TestData.freshStorage()
        var hook = Hook<Int>()
        hook.bind { _, _ in Response(status: .accepted) }
        let r = try await hook.trigger(1, collection: try #require(storage.collection("users"))) { _ in
            Issue.record("the final step must not run")
            return Response(status: .ok)
        }
        #expect(r.status == .accepted)
    }

    @Test func errorsMapLikePocketBase() async throws {
        let storage = try await TestData.freshStorage()
        let c = try #require(storage.collection("users"))
        func outcome(_ error: any Error) async -> APIError? {
            var hook = Hook<Int>()
            hook.bind { _, _ in throw error }
            do {
                _ = try await hook.trigger(0, collection: c) { _ in Response(status: .ok) }
                return nil
            } catch { return error as? APIError }
        }
        #expect(await outcome(Failure())?.json.encoded() == #"{"data":{},"message":"Something went wrong while processing your request.","status":400}"#)
        #expect(await outcome(HookFailure.NotFound())?.status == .notFound)
        #expect(await outcome(APIError.forbidden("Nope"))?.message == "Nope.")
    }

    @Test func headerKeysAreSnakeCasedLikePocketBase() {
        #expect(RequestInfo.normalizeHeader("X-Turnstile-Token") == "x_turnstile_token")
        #expect(RequestInfo.normalizeHeader("X_Turnstile_Token") == "x_turnstile_token")
        #expect(RequestInfo.normalizeHeader("x--turnstile__token-") == "x_turnstile_token")
    }
}

/// sptfy.in's hooks against outside services that misbehave: every failure is bounded and answered.
@Suite struct SptfyHooksTests {
    static let link = #"{"from":"https://open.spotify.com/track/1","id_url":"hooked"}"#

    static func createLink(_ client: some TestClientProtocol, token: String? = TurnstileTestKeys.dummyToken) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[HTTPField.Name("X-Turnstile-Token")!] = token }
        return try await client.execute(uri: "/api/collections/random_short/records", method: .post, headers: headers, body: ByteBuffer(string: link))
    }

    static func body(_ r: TestResponse) -> String { String(buffer: r.body) }

    func app(_ options: SptfyOptions) async throws -> some ApplicationProtocol {
        DevServer.buildApplication(storage: try await TestData.freshStorage(), apps: [SptfyApp(options)])
    }

    @Test func unreachableVerifierIsTheGenericError() async throws {
        try await app(SptfyOptions(turnstileVerifyURL: "http://127.0.0.1:1/siteverify")).test(.router) { client in
            let r = try await Self.createLink(client)
            #expect(Self.body(r) == #"{"data":{},"message":"Something went wrong while processing your request.","status":400}"# + "\n")
        }
    }

    /// A verifier that never answers must not hang the create: 5 s, then the generic 400.
    @Test(.timeLimit(.minutes(5))) func hangingVerifierTimesOut() async throws {
        let router = Router()
        router.post("siteverify") { _, _ -> Response in
            try await Task.sleep(for: .seconds(8))
            return Response(status: .ok)
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { verifier in
            let url = "http://127.0.0.1:\(verifier.port!)/siteverify"
            try await app(SptfyOptions(turnstileVerifyURL: url)).test(.router) { client in
                let r = try await Self.createLink(client)
                #expect(r.status == .badRequest)
                #expect(Self.body(r).contains("Something went wrong while processing your request."))
            }
        }
    }

    @Test func verifierOverHTTPAndItsAnswers() async throws {
        let stub = TurnstileStub()
        let router = Router()
        stub.register(on: router)
        router.post("html") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "<html>oops</html>"))) }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { verifier in
            let base = "http://127.0.0.1:\(verifier.port!)"
            try await app(SptfyOptions(turnstileVerifyURL: base + "/turnstile/v0/siteverify")).test(.router) { client in
                let created = try await Self.createLink(client)
                #expect(created.status == .ok)
            }
            // the gate posted JSON with the secret and the token
            let log = await stub.verifications()
            #expect(log.count == 1 && log[0].success && log[0].secret == TurnstileStub.describeSecret(TurnstileTestKeys.passSecret))
            // no secret configured: the key is left out and siteverify says so
            try await app(SptfyOptions(cfSecretKey: nil, turnstileVerifyURL: base + "/turnstile/v0/siteverify")).test(.router) { client in
                let r = try await Self.createLink(client)
                #expect(Self.body(r).contains(#"{"verification":{"code":"missing-input-secret","message":"Turnstile verification failed."}}"#))
            }
            // an answer that is not JSON is a failed verification, not a crash
            try await app(SptfyOptions(turnstileVerifyURL: base + "/html")).test(.router) { client in
                let r = try await Self.createLink(client)
                #expect(Self.body(r).contains(#""code":"verification_failed""#))
            }
        }
    }

    @Test func verificationsAreListedForSuperusersOnly() async throws {
        try await app(SptfyOptions()).test(.router) { client in
            _ = try await Self.createLink(client)
            _ = try await Self.createLink(client, token: "forged")
            #expect(try await client.execute(uri: "/api/sptfy-dev/turnstile", method: .get).status == .unauthorized)
            let su = try await client.execute(
                uri: "/api/collections/_superusers/auth-with-password", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: JSONValue.obj([
                    "identity": .string(DevServerConfiguration.defaultSuperuserEmail), "password": .string(DevServerConfiguration.defaultSuperuserPassword),
                ]).encoded()))
            let token = try JSONValue.parse(Array(su.body.readableBytesView))["token"]?.stringValue ?? ""
            let list = try JSONValue.parse(Array(try await client.execute(uri: "/api/sptfy-dev/turnstile", method: .get, headers: [.authorization: token]).body.readableBytesView))
            #expect(list.arrayValue?.map { $0["success"] } == [.bool(true), .bool(false)])
            #expect(list.arrayValue?.last?["error-codes"] == .array(["invalid-input-secret"]))
        }
    }

    @Test func geolocationNeverFailsTheClick() async throws {
        let ipAPI = IPAPIStub()
        for options in [SptfyOptions(ipAPI: ipAPI), SptfyOptions(ipAPIURL: "http://127.0.0.1:1")] {
            try await app(options).test(.router) { client in
                let link = try await Self.createLink(client)
                let id = try JSONValue.parse(Array(link.body.readableBytesView))["id"]?.stringValue ?? ""
                let click = try await client.execute(
                    uri: "/api/collections/analytics/records", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: JSONValue.obj(["author": .string(id), "utm_userAgent": "ua", "utm_country": "DE"]).encoded()))
                #expect(click.status == .ok)
                #expect(try JSONValue.parse(Array(click.body.readableBytesView))["rawData"] == "", "the probe does not change the record")
            }
        }
        #expect(ipAPI.lookups == ["127.0.0.1"])
    }

    @Test func ipAPIStubAnswersLikeIPAPI() throws {
        let stub = IPAPIStub()
        #expect(stub.lookup("127.0.0.1", fields: ["countryCode"]).encoded() == #"{"status":"fail","message":"private range","query":"127.0.0.1"}"#)
        #expect(stub.lookup("203.0.113.7")["message"] == "reserved range")
        #expect(stub.lookup("not-an-ip")["message"] == "invalid query")
        let answer = stub.lookup("8.8.8.8")
        #expect(answer["status"] == "success" && answer["countryCode"]?.stringValue?.count == 2)
        #expect(stub.lookup("8.8.8.8", fields: ["countryCode"]).objectValue?.keys == ["countryCode"])
        #expect(stub.lookup("8.8.8.8") == answer, "deterministic")
    }

    @Test func environmentOptions() {
        let defaults = SptfyOptions.fromEnvironment([:], dataDir: nil, logger: SptfyOptions.quietLogger)
        #expect(defaults.cfSecretKey == TurnstileTestKeys.passSecret && defaults.turnstileVerifyURL == nil && defaults.ipAPIURL == nil)
        #expect(!defaults.turnstile.options.strict)
        let set = SptfyOptions.fromEnvironment(
            ["CF_SECRET_KEY": "", "TURNSTILE_VERIFY_URL": "http://x/siteverify", "IP_API_URL": "http://y", "TURNSTILE_STRICT": "1"],
            dataDir: URL(fileURLWithPath: "/tmp/pb"), logger: SptfyOptions.quietLogger)
        #expect(set.cfSecretKey == nil && set.turnstileVerifyURL == "http://x/siteverify" && set.ipAPIURL == "http://y")
        #expect(set.turnstile.options.strict && set.turnstile.options.logFile?.path == "/tmp/pb/.sptfy-dev/turnstile.jsonl")
    }
}
