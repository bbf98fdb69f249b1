import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// A JSON response written the way Go's `json.Encoder` writes it.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        json(utf8: value.encodedUTF8(newline: true), status: status)
    }

    /// A JSON response from bytes already encoded (with the encoder's trailing newline).
    public static func json(utf8 body: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// What PocketBase sends when `json.Encoder` fails after the status line: 200, its JSON content type, no body.
    static func unencodableJSON() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.contentLength] = "0"
        return Response(status: .ok, headers: headers)
    }

    public static func noContent() -> Response { Response(status: .noContent) }
}
