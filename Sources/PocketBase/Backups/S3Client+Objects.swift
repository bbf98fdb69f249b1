import Foundation
import NIOCore
import NIOHTTP1

/// One stored object as listings and HEAD describe it.
struct S3Object: Sendable, Equatable {
    var key: String
    var size: Int
    var lastModified: Date
}

/// The object calls PocketBase's S3 filesystem makes (files and backups).
extension S3Client {
    /// Every object under `prefix`, following ListObjectsV2 continuation tokens; `pageSize` is `max-keys` per request
    /// (S3 caps it at 1000).
    func listObjects(prefix: String, pageSize: Int = 1000, timeout: TimeAmount = .seconds(30)) async throws -> [S3Object] {
        var objects: [S3Object] = []
        var token: String?
        var seen: Set<String> = []
        repeat {
            let page = try await listPage(prefix: prefix, maxKeys: pageSize, continuationToken: token, timeout: timeout)
            objects += page.objects
            guard page.isTruncated else { return objects }
            // A truncated page must say where to go on; a token seen before would loop forever.
            guard let next = page.nextContinuationToken, !next.isEmpty, seen.insert(next).inserted else {
                throw Failure(description: "S3 listing is truncated without a new continuation token")
            }
            token = next
        } while true
    }

    /// One ListObjectsV2 request.
    func listPage(prefix: String, maxKeys: Int, continuationToken: String?, timeout: TimeAmount = .seconds(30)) async throws -> S3XML.Page {
        var query = [("list-type", "2"), ("max-keys", String(maxKeys))]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        // A full page of 1000 long keys stays well under this.
        let response = try await send(.GET, key: nil, query: query, maxResponseBytes: 16 << 20, timeout: timeout)
        guard let page = S3XML.listPage(Data(response.body.readableBytesView)) else {
            throw Failure(description: "S3 answered a listing that is not a ListBucketResult", status: response.status)
        }
        return page
    }
}
