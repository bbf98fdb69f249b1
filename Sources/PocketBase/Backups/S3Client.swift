import AsyncHTTPClient
import Foundation
import NIOCore

/// The few S3 calls PocketBase's filesystems make, signed with `SigV4`, against any S3-compatible endpoint.
struct S3Client: Sendable {
    let endpoint: String
    let bucket: String
    let signer: SigV4
    let forcePathStyle: Bool

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// From a settings `s3` section: endpoint, region, bucket, accessKey, secret, forcePathStyle.
    init(settings s3: JSONObject) {
        var endpoint = s3["endpoint"]?.stringValue ?? ""
        if !endpoint.isEmpty && !endpoint.contains("://") { endpoint = "https://" + endpoint }
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        bucket = s3["bucket"]?.stringValue ?? ""
        forcePathStyle = s3["forcePathStyle"]?.boolValue ?? false
        signer = SigV4(accessKey: s3["accessKey"]?.stringValue ?? "", secretKey: s3["secret"]?.stringValue ?? "", region: s3["region"]?.stringValue ?? "")
    }

    /// ListObjectsV2 (the cheapest call that proves endpoint, bucket and credentials).
    func list(prefix: String, maxKeys: Int) async throws {
        guard let base = URL(string: endpoint), let host = base.host, !bucket.isEmpty else { throw Failure(description: "invalid S3 endpoint or bucket") }
        let port = base.port.map { ":\($0)" } ?? ""
        let virtualHost = forcePathStyle ? host + port : bucket + "." + host + port
        let path = forcePathStyle ? "/" + bucket + "/" : "/"
        let query = [("list-type", "2"), ("max-keys", String(maxKeys)), ("prefix", prefix)]
        let now = Date()
        let signed = signer.sign(
            method: "GET", path: path, query: query,
            headers: [("host", virtualHost), ("x-amz-content-sha256", SigV4.emptyPayloadHash), ("x-amz-date", SigV4.amzDate(now))],
            payloadHash: SigV4.emptyPayloadHash, date: now)
        let queryString = query.map { "\(SigV4.encode($0.0, slash: true))=\(SigV4.encode($0.1, slash: true))" }.joined(separator: "&")
        var request = HTTPClientRequest(url: "\(base.scheme ?? "https")://\(virtualHost)\(SigV4.encode(path, slash: false))?\(queryString)")
        request.headers.add(name: "x-amz-content-sha256", value: SigV4.emptyPayloadHash)
        request.headers.add(name: "x-amz-date", value: SigV4.amzDate(now))
        request.headers.add(name: "Authorization", value: signed.authorization)
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
        } catch {
            throw Failure(description: "\(error)")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw Failure(description: "S3 answered \(response.status.code): \(String(buffer: body).prefix(300))")
        }
    }
}
