import ContractSuite
import HTTPTypes
import HummingbirdTesting
import Foundation
import NIOCore

/// Adapts HummingbirdTesting's client (router or live mode) to the contract suite's transport seam.
struct InProcessClient: ContractClient {
    let client: any TestClientProtocol

    func send(_ request: ContractRequest) async throws -> ContractResponse {
        var headers = HTTPFields()
        for (k, v) in request.headers { if let name = HTTPField.Name(k) { headers.append(HTTPField(name: name, value: v)) } }
        if let length = request.declaredLength { headers[.contentLength] = String(length) }
        // An absolute URL on this server (auth-methods builds them from the Host header) → its path.
        var uri = request.path
        if uri.hasPrefix("http"), let u = URLComponents(string: uri) {
            uri = u.percentEncodedPath + (u.percentEncodedQuery.map { "?" + $0 } ?? "")
        }
        let r = try await client.executeRequest(
            uri: uri, method: HTTPRequest.Method(request.method) ?? .get, headers: headers,
            body: request.body.map { ByteBuffer(bytes: $0) })
        return ContractResponse(
            status: Int(r.status.code), headers: r.headers.map { ($0.name.rawName, $0.value) }, body: Array(r.body.readableBytesView))
    }
}
