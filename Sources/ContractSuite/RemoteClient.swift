import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Talks to any base URL over real HTTP (AsyncHTTPClient).
public struct RemoteClient: ContractClient {
    public let baseURL: String

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    public func send(_ request: ContractRequest) async throws -> ContractResponse {
        if let length = request.declaredLength { return try await RawHTTP.sendHead(baseURL: baseURL, request: request, length: length) }
        var req = HTTPClientRequest(url: baseURL + request.path)
        req.method = HTTPMethod(rawValue: request.method)
        for (k, v) in request.headers { req.headers.add(name: k, value: v) }
        if let body = request.body { req.body = .bytes(ByteBuffer(bytes: body)) }
        let res = try await HTTPClient.shared.execute(req, timeout: .seconds(30))
        let body = try await res.body.collect(upTo: 64 << 20)
        return ContractResponse(
            status: Int(res.status.code), headers: res.headers.map { ($0.name, $0.value) },
            body: Array(body.readableBytesView))
    }
}
