import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import PBJSON
import Testing

@testable import TurnstileStub

/// The documented test-key matrix, byte for byte, and the stub's strict mode.
@Suite struct SiteverifyTests {
    typealias K = TurnstileTestKeys

    func verify(_ stub: TurnstileStub, _ secret: String?, _ token: String?, key: String? = nil) async -> JSONValue {
        await stub.verify(SiteverifyRequest(secret: secret, response: token, idempotencyKey: key)).json
    }

    @Test(arguments: [
        (K.failSecret, K.dummyToken, "invalid-input-response"),
        (K.spentSecret, K.dummyToken, "timeout-or-duplicate"),
        (K.failSecret, "anything", "invalid-input-response"),
        (K.spentSecret, "anything", "timeout-or-duplicate"),
        // test secrets only accept the dummy token
        (K.passSecret, "not-the-dummy-token", "invalid-input-secret"),
    ])
    func testSecretFailures(secret: String, token: String, code: String) async {
        let body = await verify(TurnstileStub(), secret, token)
        #expect(body.encoded() == #"{"success":false,"error-codes":["\#(code)"],"messages":[],"metadata":{"result_with_testing_key":true}}"#)
    }

    @Test func passSecretWithDummyToken() async {
        let now = Date(timeIntervalSince1970: 1_764_237_600.25)
        let body = await verify(TurnstileStub(.init(clock: { now })), K.passSecret, K.dummyToken)
        #expect(
            body.encoded()
                == #"{"success":true,"error-codes":[],"challenge_ts":"2025-11-27T10:00:00.250Z","hostname":"example.com","metadata":{"result_with_testing_key":true}}"#
        )
    }

    @Test func dummyTokenStaysValidForTestSecrets() async {
        let stub = TurnstileStub(.init(strict: true))
        for _ in 0..<3 { #expect(await verify(stub, K.passSecret, K.dummyToken)["success"] == .bool(true)) }
    }

    @Test func missingAndInvalidInput() async {
        let stub = TurnstileStub()
        #expect(await verify(stub, nil, K.dummyToken)["error-codes"] == .array(["missing-input-secret"]))
        #expect(await verify(stub, K.passSecret, "")["error-codes"] == .array(["missing-input-response"]))
        #expect(await verify(stub, "", nil)["error-codes"] == .array(["missing-input-secret", "missing-input-response"]))
        // a missing secret cannot be a test secret: no testing metadata
        #expect(await verify(stub, nil, K.dummyToken)["metadata"] == nil)
        let long = String(repeating: "a", count: K.maxTokenLength + 1)
        #expect(await verify(stub, K.passSecret, long)["error-codes"] == .array(["invalid-input-response"]))
        #expect(await verify(stub, K.passSecret, K.dummyToken, key: "not-a-uuid")["error-codes"] == .array(["invalid-idempotency-key"]))
    }

    @Test func productionSecretIsRefused() async {
        let body = await verify(TurnstileStub(), "0x4AAAAAAABkMYinukE8nzYS", K.dummyToken)
        #expect(body.encoded() == #"{"success":false,"error-codes":["invalid-input-secret"],"messages":[]}"#)
    }

    @Test func strictTokensAreSingleUseAndHonourIdempotencyKeys() async throws {
        let stub = TurnstileStub(.init(strict: true))
        let token = try #require(await stub.mint(sitekey: K.passSitekey, hostname: "127.0.0.1", action: "create", cdata: "c1"))
        #expect(token != K.dummyToken)
        let key = UUID().uuidString
        let first = await verify(stub, K.passSecret, token, key: key)
        #expect(first["success"] == .bool(true))
        #expect(first["hostname"] == .string("127.0.0.1"))
        #expect(first["action"] == .string("create"))
        #expect(first["cdata"] == .string("c1"))
        // same idempotency key → the same answer again
        #expect(await verify(stub, K.passSecret, token, key: key) == first)
        #expect(await verify(stub, K.passSecret, token, key: key.lowercased()) == first)
        // anything else → spent
        #expect(await verify(stub, K.passSecret, token)["error-codes"] == .array(["timeout-or-duplicate"]))
        #expect(await verify(stub, K.passSecret, token, key: UUID().uuidString)["error-codes"] == .array(["timeout-or-duplicate"]))
        // the failing secrets keep their meaning for minted tokens
        let other = try #require(await stub.mint(sitekey: K.passSitekey))
        #expect(await verify(stub, K.failSecret, other)["error-codes"] == .array(["invalid-input-response"]))
    }

    @Test func strictTokensExpireAfterTheirLifetime() async throws {
        let now = NIOLockedValueBox(Date(timeIntervalSince1970: 1_000_000))
        let stub = TurnstileStub(.init(strict: true, clock: { now.withLockedValue { $0 } }))
        let fresh = try #require(await stub.mint(sitekey: K.passSitekey))
        let stale = try #require(await stub.mint(sitekey: K.interactiveSitekey))
        now.withLockedValue { $0 += 300 }
        #expect(await verify(stub, K.passSecret, fresh)["success"] == .bool(true))
        now.withLockedValue { $0 += 0.001 }
        #expect(await verify(stub, K.passSecret, stale)["error-codes"] == .array(["timeout-or-duplicate"]))
    }

    @Test func mintingFollowsTheSitekey() async {
        let relaxed = TurnstileStub()
        #expect(await relaxed.mint(sitekey: K.passInvisibleSitekey) == K.dummyToken)
        #expect(await relaxed.mint(sitekey: K.failSitekey) == nil)
        #expect(await relaxed.mint(sitekey: "0x4AAAAAAA") == nil)
        // without strict mode nothing is remembered: a made-up token is not the dummy one
        #expect(await verify(relaxed, K.passSecret, "0.sptfy-dev.abc")["error-codes"] == .array(["invalid-input-secret"]))
    }

    @Test func verificationsAreLoggedToMemoryAndFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-\(UUID().uuidString)").appendingPathComponent("log.jsonl")
        let stub = TurnstileStub(.init(logFile: file))
        _ = await stub.verify(SiteverifyRequest(secret: K.passSecret, response: K.dummyToken, remoteip: "203.0.113.9"))
        _ = await stub.verify(SiteverifyRequest(secret: K.failSecret, response: K.dummyToken))
        let log = await stub.verifications()
        #expect(log.map(\.success) == [true, false])
        #expect(log[0].remoteip == "203.0.113.9")
        #expect(log[1].errorCodes == ["invalid-input-response"])
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.compactMap { (try? JSONValue.parse(String($0))).flatMap(VerificationLogEntry.init) } == log)
    }
}

/// The HTTP face: every body encoding siteverify accepts, the widget's mint endpoint and the log.
@Suite struct SiteverifyHTTPTests {
    typealias K = TurnstileTestKeys

    func app(_ stub: TurnstileStub) -> some ApplicationProtocol {
        let router = Router()
        stub.register(on: router)
        return Application(router: router)
    }

    func json(_ r: TestResponse) throws -> JSONValue { try JSONValue.parse(Array(r.body.readableBytesView)) }

    @Test func acceptsFormJSONAndMultipartBodies() async throws {
        try await app(TurnstileStub()).test(.router) { client in
            let form = try await client.execute(
                uri: "/turnstile/v0/siteverify", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "secret=\(K.passSecret)&response=XXXX.DUMMY.TOKEN.XXXX&remoteip=127.0.0.1"))
            #expect(form.status == .ok)
            #expect(form.headers[.contentType] == "application/json")
            #expect(try json(form)["success"] == .bool(true))

            let js = try await client.execute(
                uri: "/turnstile/v0/siteverify", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"secret":"\#(K.failSecret)","response":"XXXX.DUMMY.TOKEN.XXXX"}"#))
            #expect(try json(js)["error-codes"] == .array(["invalid-input-response"]))

            let boundary = "sptfyBoundary42"
            let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"secret\"\r\n\r\n\(K.spentSecret)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"response\"\r\n\r\nXXXX.DUMMY.TOKEN.XXXX\r\n--\(boundary)--\r\n"
            let mp = try await client.execute(
                uri: "/turnstile/v0/siteverify", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(string: multipart))
            #expect(try json(mp)["error-codes"] == .array(["timeout-or-duplicate"]))

            let bad = try await client.execute(
                uri: "/turnstile/v0/siteverify", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{nope"))
            #expect(try json(bad).encoded() == #"{"success":false,"error-codes":["bad-request"],"messages":[]}"#)

            // Bodies that trapped MultipartKit (an empty boundary, a high byte in a part's header name; found by the
            // HTTP fuzzer) are bad requests, and the stub keeps answering.
            var highByte = ByteBuffer(string: "--XB\r\nCo")
            highByte.writeBytes([0xFF, 0xFF])
            highByte.writeString(": x\r\n\r\nv\r\n--XB--\r\n")
            for (contentType, body) in [("multipart/form-data; boundary=", ByteBuffer(string: "--\r\n\r\n")), ("multipart/form-data; boundary=XB", highByte)] {
                let r = try await client.execute(uri: "/turnstile/v0/siteverify", method: .post, headers: [.contentType: contentType], body: body)
                #expect(try json(r)["error-codes"] == .array(["bad-request"]), "\(contentType)")
            }
        }
    }

    @Test func mintThenVerifyOverHTTP() async throws {
        let stub = TurnstileStub(.init(strict: true))
        try await app(stub).test(.router) { client in
            let minted = try await client.execute(
                uri: "/turnstile/v0/mint", method: .post, body: ByteBuffer(string: #"{"sitekey":"\#(K.passSitekey)","hostname":"localhost"}"#))
            let token = try #require(try json(minted)["token"]?.stringValue)
            let failing = try await client.execute(
                uri: "/turnstile/v0/mint", method: .post, body: ByteBuffer(string: #"{"sitekey":"\#(K.failSitekey)"}"#))
            #expect(failing.status == .badRequest)
            #expect(try json(failing)["error-code"] == .string("600010"))
            let unknown = try await client.execute(uri: "/turnstile/v0/mint", method: .post, body: ByteBuffer(string: #"{"sitekey":"nope"}"#))
            #expect(try json(unknown)["error-code"] == .string("110100"))

            for expected in [true, false] {
                let r = try await client.execute(
                    uri: "/turnstile/v0/siteverify", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"secret":"\#(K.passSecret)","response":"\#(token)"}"#))
                #expect(try json(r)["success"] == .bool(expected))
            }
            let log = try json(try await client.execute(uri: "/turnstile/v0/verifications", method: .get))
            #expect(log.arrayValue?.count == 2)

            let script = try await client.execute(uri: "/turnstile/v0/api.js", method: .get)
            #expect(script.headers[.contentType] == "application/javascript; charset=utf-8")
            let text = String(buffer: script.body)
            #expect(text.contains(#"var CONFIG = {"strict":true,"ttl":300,"mintPath":"/turnstile/v0/mint"};"#))
            #expect(text.contains("window.turnstile = {"))
        }
    }
}
