import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// Building, signing and sending one S3 call; every operation goes through `send`, so URL building and signing
/// cannot drift apart between calls.
extension S3Client {
    /// A request ready for AsyncHTTPClient. Built apart from sending so tests can check URL, Host and signature.
    struct SignedRequest {
        var method: HTTPMethod
        var url: String
        var headers: HTTPHeaders
        var canonicalRequest: String
    }

    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    /// Error bodies are small XML documents; more than this is not an S3 error worth reading.
    static let maxErrorBodyBytes = 64 << 10

    /// Builds the URL and signed headers of one call; `key` nil addresses the bucket itself. The path is encoded once
    /// with SigV4's rules (each segment, `/` kept) and that same string is signed and sent: were the URL encoded
    /// differently (say `@` left raw), servers that canonicalise what arrives would compute another signature.
    func signedRequest(
        method: HTTPMethod, key: String?, query: [(String, String)] = [], headers extra: [(String, String)] = [],
        payloadHash: String, date: Date = Date()
    ) throws -> SignedRequest {
        guard let base = URL(string: endpoint), let scheme = base.scheme?.lowercased(), scheme == "http" || scheme == "https",
            var host = base.host, !host.isEmpty
        else { throw Failure(description: "invalid S3 endpoint \"\(endpoint)\"") }
        guard !bucket.isEmpty else { throw Failure(description: "missing S3 bucket") }
        if key?.isEmpty == true { throw Failure(description: "empty S3 object key") }
        // An IPv6 literal needs its brackets back in the authority (URL.host drops them on some platforms).
        if host.contains(":") && !host.hasPrefix("[") { host = "[" + host + "]" }
        let port = base.port.map { ":\($0)" } ?? ""
        // Virtual-hosted style puts the bucket in the host name; path style (MinIO, moto, most self-hosted) in the path.
        let authority = forcePathStyle ? host + port : bucket + "." + host + port
        let path = (forcePathStyle ? "/" + bucket + "/" : "/") + (key ?? "")
        let toSign = [("host", authority), ("x-amz-content-sha256", payloadHash), ("x-amz-date", SigV4.amzDate(date))] + extra
        let signed = signer.sign(method: method.rawValue, path: path, query: query, headers: toSign, payloadHash: payloadHash, date: date)
        // Same encoder as the signer's canonical query, so the sent query string is the signed one (order aside).
        let queryString = query.map { SigV4.encode($0.0, slash: true) + "=" + SigV4.encode($0.1, slash: true) }.joined(separator: "&")
        // Host is set here, not left to AsyncHTTPClient, so the sent value is exactly the signed one.
        var headers = HTTPHeaders()
        for (name, value) in toSign { headers.add(name: name, value: value) }
        headers.add(name: "Authorization", value: signed.authorization)
        let url = scheme + "://" + authority + SigV4.encode(path, slash: false) + (queryString.isEmpty ? "" : "?" + queryString)
        return SignedRequest(method: method, url: url, headers: headers, canonicalRequest: signed.canonicalRequest)
    }

    /// Signs and sends one call and reads its whole answer within `timeout` (AsyncHTTPClient's own timeout stops at
    /// the response head; a stalled body would otherwise hang the caller). Non-2xx answers throw `Failure` with
    /// S3's error code; a 2xx body over `maxResponseBytes` throws too rather than growing without bound.
    func send(
        _ method: HTTPMethod, key: String?, query: [(String, String)] = [], headers extra: [(String, String)] = [],
        body: ByteBuffer? = nil, maxResponseBytes: Int = 1 << 20, timeout: TimeAmount = .seconds(30)
    ) async throws -> Response {
        let payloadHash = body.map(Self.sha256Hex) ?? SigV4.emptyPayloadHash
        let signed = try signedRequest(method: method, key: key, query: query, headers: extra, payloadHash: payloadHash)
        var request = HTTPClientRequest(url: signed.url)
        request.method = method
        request.headers = signed.headers
        if let body { request.body = .bytes(body) }
        do {
            return try await Self.withDeadline(timeout) { [request] in
                let response = try await HTTPClient.shared.execute(request, timeout: timeout)
                let status = Int(response.status.code)
                guard (200..<300).contains(status) else {
                    let errorBody = (try? await response.body.collect(upTo: Self.maxErrorBodyBytes)) ?? ByteBuffer()
                    throw Self.failure(status: status, body: errorBody)
                }
                do {
                    return Response(status: status, headers: response.headers, body: try await response.body.collect(upTo: maxResponseBytes))
                } catch is NIOTooManyBytesError {
                    throw Failure(description: "S3 answer to \(method.rawValue) is larger than \(maxResponseBytes) bytes", status: status)
                }
            }
        } catch let failure as Failure {
            throw failure
        } catch let cancelled as CancellationError {
            throw cancelled
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    /// A non-2xx answer as a `Failure`: `Code: Message` from S3's XML error body, else the raw start of the body.
    static func failure(status: Int, body: ByteBuffer) -> Failure {
        if let error = S3XML.error(Data(body.readableBytesView)), let code = error.code {
            let message = error.message.map { ": " + $0 } ?? ""
            return Failure(description: "S3 answered \(status) \(code)\(message)", status: status, code: code, message: error.message)
        }
        let raw = String(buffer: body).prefix(300)
        return Failure(description: "S3 answered \(status)" + (raw.isEmpty ? "" : ": " + raw), status: status)
    }

    /// Runs `operation`, cancelling it (which cancels the HTTP transaction and any body read) after `timeout`.
    static func withDeadline<T: Sendable>(_ timeout: TimeAmount, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: .nanoseconds(timeout.nanoseconds))
                throw Failure(description: "S3 call timed out after \(Double(timeout.nanoseconds) / 1e9) s")
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }

    /// `x-amz-content-sha256` of a body: S3 checks it, so a corrupted upload fails instead of being stored.
    static func sha256Hex(_ buffer: ByteBuffer) -> String {
        var hasher = SHA256()
        buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        return SigV4.hex(hasher.finalize())
    }
}
