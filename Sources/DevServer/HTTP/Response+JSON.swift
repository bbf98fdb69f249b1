import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// A JSON response written the way Go's `json.Encoder` writes it.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let body = value.responseBody()
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(body.utf8.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    public static func noContent() -> Response { Response(status: .noContent) }
}
