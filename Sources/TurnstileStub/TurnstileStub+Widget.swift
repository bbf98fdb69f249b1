import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PBJSON

extension TurnstileStub {
    /// `api.js` with this stub's settings filled in (strict minting, token lifetime, where to mint).
    public nonisolated func widgetScript() -> String {
        let config = JSONValue.obj([
            "strict": .bool(options.strict), "ttl": .number(options.tokenLifetime), "mintPath": .string(Self.prefix + "/mint"),
        ])
        return Self.widgetTemplate.replacingOccurrences(of: "/*SPTFY_CONFIG*/{}", with: config.encoded())
    }

    nonisolated func widgetScriptResponse() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/javascript; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.accessControlAllowOrigin] = "*"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: widgetScript())))
    }

    static let widgetTemplate: String = {
        guard let url = Bundle.module.url(forResource: "api", withExtension: "js"), let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("TurnstileStub: the bundled api.js is missing") }
        return text
    }()
}
