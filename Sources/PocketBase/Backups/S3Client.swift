import AsyncHTTPClient
import Foundation
import NIOCore

/// The few S3 calls PocketBase's filesystems make, signed with `SigV4`, against any S3-compatible endpoint.
/// Requests are built and signed in `S3Client+Request.swift`; object calls live in `S3Client+Objects.swift`.
struct S3Client: Sendable {
    let endpoint: String
    let bucket: String
    let signer: SigV4
    let forcePathStyle: Bool

    /// Every failure of a call: transport errors (no `status`) and non-2xx answers, with S3's error `Code` and
    /// `Message` when the body carried them.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        var status: Int? = nil
        var code: String? = nil
        var message: String? = nil

        /// The object (not the bucket) is missing: S3's `NoSuchKey`, or a bare 404 as HEAD answers have no body.
        /// Callers map this to PocketBase's "blob not found".
        var isNotFound: Bool { code == "NoSuchKey" || (status == 404 && code == nil) }
    }

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
        _ = try await listPage(prefix: prefix, maxKeys: maxKeys, continuationToken: nil)
    }
}
