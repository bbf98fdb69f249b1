import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Talks to any base URL over real HTTP (AsyncHTTPClient).
public struct RemoteClient: ContractClient {
    public let baseURL: String

    /// Redirects are observed, not followed (the OAuth2 flow inspects the authorize page's `Location`).
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    public func send(_ request: ContractRequest) async throws -> ContractResponse {
        if let length = request.declaredLength { return try await RawHTTP.sendHead(baseURL: baseURL, request: request, length: length) }
        // Absolute URLs (e.g. a provider's authorize page on another host) are requested as they are.
        var req = HTTPClientRequest(url: request.path.hasPrefix("http") ? request.path : baseURL + request.path)
        req.method = HTTPMethod(rawValue: request.method)
        for (k, v) in request.headers { req.headers.add(name: k, value: v) }
        if let body = request.body { req.body = .bytes(ByteBuffer(bytes: body)) }
        let res = try await Self.client.execute(req, timeout: .seconds(30))
        let body = try await res.body.collect(upTo: 64 << 20)
        return ContractResponse(
            status: Int(res.status.code), headers: res.headers.map { ($0.name, $0.value) },
            body: Array(body.readableBytesView))
    }
}
