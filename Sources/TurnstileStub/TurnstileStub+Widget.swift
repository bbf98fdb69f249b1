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

extension TurnstileStub {
    /// An unpacked Chromium extension that defines `window.turnstile` (this stub's widget) on every page before
    /// the page's own scripts run. Widget libraries that only load Cloudflare's `api.js` when `window.turnstile`
    /// is missing (svelte-turnstile, used by sptfy.in) then use the stub, so the frontend works offline.
    /// `serverURL` is where this stub is served (strict-mode tokens are minted there). Returns file name → text.
    public nonisolated func browserExtension(serverURL: String) -> [String: String] {
        let base = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        let config = JSONValue.obj([
            "strict": .bool(options.strict), "ttl": .number(options.tokenLifetime), "mintPath": .string(base + Self.prefix + "/mint"),
        ])
        let script = Self.widgetTemplate.replacingOccurrences(of: "/*SPTFY_CONFIG*/{}", with: config.encoded())
        let manifest = JSONValue.obj([
            "manifest_version": 3, "name": "sptfy-dev Turnstile stub", "version": "1.0",
            "description": .string("Offline Cloudflare Turnstile widget (test sitekeys) from \(base)"),
            "content_scripts": .array([
                .obj([
                    "matches": ["<all_urls>"], "js": ["turnstile-stub.js"], "run_at": "document_start", "world": "MAIN", "all_frames": false,
                ])
            ]),
        ])
        return ["manifest.json": manifest.encoded() + "\n", "turnstile-stub.js": script]
    }
}
