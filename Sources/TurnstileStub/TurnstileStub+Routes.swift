import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit
import SafeMultipart
import NIOCore
import PBJSON

extension TurnstileStub {
    /// Cloudflare's path prefix, so a stub URL differs from the real one only by its origin.
    public static let prefix = "/turnstile/v0"

    /// Registers `api.js`, `siteverify`, the widget's `mint` endpoint and the `verifications` log.
    public nonisolated func register<Context: RequestContext>(on router: Router<Context>, includeLog: Bool = true) {
        let p = String(Self.prefix.dropFirst())
        router.get("\(p)/api.js") { _, _ in self.widgetScriptResponse() }
        router.post("\(p)/siteverify") { request, _ in
            let result: SiteverifyResult
            if let parsed = try? await Self.parseSiteverify(request) {
                result = await self.verify(parsed)
            } else {
                result = .failure(["bad-request"], testingKey: false)
            }
            return Self.json(result.json)
        }
        router.post("\(p)/mint") { request, _ in try await self.mintResponse(request) }
        if includeLog {
            router.get("\(p)/verifications") { _, _ in Self.json(.array(await self.verifications().map(\.json))) }
        }
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        // The widget on another origin (the frontend) calls `mint`.
        headers[.accessControlAllowOrigin] = "*"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.encoded())))
    }

    /// Siteverify accepts form-urlencoded and JSON (documented) and multipart (Cloudflare's own Workers example).
    static func parseSiteverify(_ request: Request) async throws -> SiteverifyRequest {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let contentType = request.headers[.contentType] ?? ""
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch media {
        case "application/json":
            return try JSONDecoder().decode(SiteverifyRequest.self, from: Data(buffer: buffer))
        case "multipart/form-data":
            guard let body = try? MultipartBody(Array(buffer.readableBytesView), contentType: contentType) else { throw TurnstileStubError.badRequest }
            func value(_ name: String) -> String? {
                body.parts.first { $0.disposition("name") == name }.map { String(decoding: $0.body, as: UTF8.self) }
            }
            return SiteverifyRequest(
                secret: value("secret"), response: value("response"), remoteip: value("remoteip"), idempotencyKey: value("idempotency_key"))
        default:
            return try URLEncodedFormDecoder().decode(SiteverifyRequest.self, from: String(buffer: buffer))
        }
    }

    /// The widget stub's token source: `{"sitekey","hostname","action","cdata"}` → `{"token"}` or 400 `{"error-code"}`.
    func mintResponse(_ request: Request) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 64 << 10)
        let body = (try? JSONValue.parse(String(buffer: buffer))) ?? .object(JSONObject())
        let sitekey = body["sitekey"]?.stringValue ?? ""
        guard let token = mint(
            sitekey: sitekey, hostname: body["hostname"]?.stringValue, action: body["action"]?.stringValue, cdata: body["cdata"]?.stringValue)
        else {
            // Client-side error families: 110100 unknown sitekey, 600010 challenge failed (failing test keys).
            let code = TurnstileTestKeys.sitekeys.contains(sitekey) ? "600010" : "110100"
            return Self.json(.obj(["error-code": .string(code)]), status: .badRequest)
        }
        return Self.json(.obj(["token": .string(token)]))
    }
}

struct TurnstileStubError: Error {
    static let badRequest = TurnstileStubError()
}
