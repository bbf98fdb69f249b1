import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// The HTTP/1 server set up to answer like Go's `net/http` where NIO's parser decides: header limits of Go's
/// `DefaultMaxHeaderBytes` (1 MiB + 4 KiB slack; 431 above), and Go's plain-text 400 / 431 for requests the parser
/// refuses (Hummingbird's own answer is an empty 400).
public enum GoHTTPServer {
    static let maxHeaderBytes = (1 << 20) + 4096

    public static var builder: HTTPServerBuilder {
        .http1(
            configuration: .init(
                additionalChannelHandlers: [GoParserErrorHandler()],
                httpDecoderConfiguration: .init(
                    maxHeaderFieldSize: maxHeaderBytes, maxHeaderListSize: maxHeaderBytes, maxHeaderFieldCount: 100_000)))
    }
}

/// Answers a request NIO's parser refused, or one without `Host`, the way Go does (`text/plain`, `Connection:
/// close`, status line repeated in the body), then closes; the error goes no further, so Hummingbird writes nothing.
final class GoParserErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var answered = false

    /// HTTP/1.1 requires `Host`; Go answers `400 Bad Request: missing required Host header` before any handler.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if answered { return }
        if case .head(let head) = unwrapInboundIn(data), head.authority == nil {
            answer(context, .init(code: 400, reasonPhrase: "Bad Request: missing required Host header"))
            return
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !answered else { return }
        switch parserError {
        case .headerOverflow: answer(context, .init(code: 431, reasonPhrase: "Request Header Fields Too Large"))
        default: answer(context, .badRequest)
        }
    }

    /// Go's exact bytes: written below NIO's response encoder, which would replace a custom reason phrase of a
    /// known status code with the standard one.
    private func answer(_ context: ChannelHandlerContext, _ status: HTTPResponse.Status) {
        answered = true
        let text = "\(status.code) \(status.reasonPhrase)"
        let raw = "HTTP/1.1 \(text)\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n\(text)"
        let buffer = context.channel.allocator.buffer(string: raw)
        if let encoder = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self) {
            encoder.writeAndFlush(NIOAny(buffer)).whenComplete { _ in context.close(promise: nil) }
        } else {
            context.close(promise: nil)
        }
    }
}

/// What Go's server and mux do to a request before PocketBase's handlers see it: a malformed percent escape in
/// the path is refused with Go's plain-text 400, and the path is matched unescaped
/// (`/api/collections/view%4Cist/records` is `viewList`'s; an escaped `/` stays inside its segment).
public struct GoRequestNormalizer<Router: HTTPResponderBuilder>: HTTPResponderBuilder {
    let router: Router

    public init(_ router: Router) { self.router = router }

    public func buildResponder() -> Responder { Responder(inner: router.buildResponder()) }

    public struct Responder: HTTPResponder {
        let inner: Router.Responder

        public func respond(to request: Request, context: Router.Responder.Context) async throws -> Response {
            guard let path = request.head.path, path.utf8.contains(UInt8(ascii: "%")) else { return try await inner.respond(to: request, context: context) }
            let pathPart = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            guard let decoded = Self.unescape(pathPart[0]) else { return Self.goBadRequest(nil) }
            var head = request.head
            head.path = decoded + (pathPart.count > 1 ? "?" + pathPart[1] : "")
            return try await inner.respond(to: Request(head: head, body: request.body), context: context)
        }

        /// Percent escapes decoded except `%2F` (a segment separator must stay escaped for routing); nil for a
        /// malformed escape, which Go's URL parser refuses. Decoded bytes that are not UTF-8 are kept escaped.
        static func unescape(_ path: Substring) -> String? {
            let bytes = Array(path.utf8)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "%") {
                    guard i + 2 < bytes.count, let hi = GoURL.hex(bytes[i + 1]), let lo = GoURL.hex(bytes[i + 2]) else { return nil }
                    let b = hi << 4 | lo
                    if b == UInt8(ascii: "/") || b == UInt8(ascii: "%") || b == UInt8(ascii: "?") || b < 0x21 || b >= 0x7F {
                        out += bytes[i...(i + 2)]
                    } else {
                        out.append(b)
                    }
                    i += 3
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        static func goBadRequest(_ reason: String?) -> Response {
            let phrase = "Bad Request" + (reason.map { ": " + $0 } ?? "")
            var response = Response(
                status: .init(code: 400, reasonPhrase: phrase), body: .init(byteBuffer: ByteBuffer(string: "400 " + phrase)))
            response.headers[.contentType] = "text/plain; charset=utf-8"
            response.headers[.connection] = "close"
            return response
        }
    }
}
