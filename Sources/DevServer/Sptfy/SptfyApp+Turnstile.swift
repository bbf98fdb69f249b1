import AsyncHTTPClient
import Foundation
import PocketBase
import NIOCore
import TurnstileStub

extension SptfyApp {
    /// `random.pb.js`'s create gate: every create on random_short (superusers included) needs a token that
    /// siteverify accepts, before the create rule and validation run.
    func bindTurnstileGate(_ hooks: inout Hooks) {
        hooks.onRecordCreateRequest.bind(tags: ["random_short"]) { e, next in
            // requestInfo headers are snake-cased, so X-Turnstile-Token, x-turnstile-token and X_Turnstile_Token all match.
            guard let token = e.requestInfo.headers["x_turnstile_token"], !token.isEmpty else {
                e.storage.logger.warning("Turnstile token missing")
                throw Self.missingToken
            }
            let answer = try await verifyTurnstile(token)
            e.storage.logger.info("Turnstile verification", metadata: ["success": .stringConvertible(Self.truthy(answer["success"]))])
            guard Self.truthy(answer["success"]) else {
                let code = answer["error-codes"]?.arrayValue?.first?.stringValue ?? "verification_failed"
                throw APIError.badRequest(
                    "Turnstile verification failed.",
                    JSONObject([("verification", .obj(["code": .string(code), "message": "Turnstile verification failed."]))]))
            }
            return try await next(e)
        }
    }

    /// The hook throws `{verification: {code: 'missing_token', message: …}}`; PocketBase's error sanitiser turns
    /// each plain nested string into an "Invalid value." error, and that mangled body is what clients get.
    static let missingToken: APIError = {
        let invalid = JSONValue.obj(["code": "validation_invalid_value", "message": "Invalid value."])
        return APIError.badRequest("Turnstile error", JSONObject([("verification", .obj(["code": invalid, "message": invalid]))]))
    }()

    /// POSTs `{"secret","response"}` as JSON (no remoteip, no idempotency key) like the hook. A transport failure
    /// throws (→ the generic 400); a non-JSON answer reads as "not successful".
    func verifyTurnstile(_ token: String) async throws -> JSONValue {
        guard let url = options.turnstileVerifyURL else {
            return await options.turnstile.verify(SiteverifyRequest(secret: options.cfSecretKey, response: token)).json
        }
        var body = JSONObject()
        if let secret = options.cfSecretKey { body["secret"] = .string(secret) }
        body["response"] = .string(token)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: JSONValue.object(body).encoded()))
        // The production hook has no timeout; ours answers within 5 s instead of hanging the create.
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (try? JSONValue.parse(String(buffer: bytes))) ?? .null
    }

    /// JavaScript truthiness of a JSON value.
    static func truthy(_ v: JSONValue?) -> Bool {
        switch v {
        case .bool(let b)?: b
        case .number(let n)?: n != 0 && !n.isNaN
        case .string(let s)?: !s.isEmpty
        case .array?, .object?: true
        default: false
        }
    }
}
