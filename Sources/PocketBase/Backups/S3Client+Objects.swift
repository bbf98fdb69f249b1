import Foundation
import NIOCore
import NIOHTTP1

/// One stored object as listings and HEAD describe it.
struct S3Object: Sendable, Equatable {
    var key: String
    var size: Int
    var lastModified: Date
}

/// The object calls PocketBase's S3 filesystem makes (files and backups): list, put, get, head, delete.
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

    /// PutObject with the body's SHA-256 as the signed payload hash (S3 rejects a body that does not match).
    func putObject(key: String, body: ByteBuffer, contentType: String, timeout: TimeAmount = .seconds(300)) async throws {
        let headers = [("content-type", contentType), ("content-length", String(body.readableBytes))]
        _ = try await send(.PUT, key: key, headers: headers, body: body, timeout: timeout)
    }

    func putObject(key: String, body: [UInt8], contentType: String, timeout: TimeAmount = .seconds(300)) async throws {
        try await putObject(key: key, body: ByteBuffer(bytes: body), contentType: contentType, timeout: timeout)
    }

    /// GetObject, refusing bodies over `maxBytes` (a `Failure`) so a huge or hostile object cannot exhaust memory.
    /// A missing key throws a `Failure` whose `isNotFound` is true.
    func getObject(
        key: String, maxBytes: Int, timeout: TimeAmount = .seconds(300)
    ) async throws -> (body: ByteBuffer, contentType: String?, lastModified: Date?) {
        let response = try await send(.GET, key: key, maxResponseBytes: maxBytes, timeout: timeout)
        let lastModified = response.headers.first(name: "last-modified").flatMap(S3XML.httpDate)
        return (response.body, response.headers.first(name: "content-type"), lastModified)
    }

    /// HeadObject: size and modification time, nil when the key does not exist.
    func headObject(key: String, timeout: TimeAmount = .seconds(30)) async throws -> S3Object? {
        let response: Response
        do {
            response = try await send(.HEAD, key: key, timeout: timeout)
        } catch let failure as Failure where failure.isNotFound {
            return nil
        }
        guard let size = response.headers.first(name: "content-length").flatMap({ Int($0) }) else {
            throw Failure(description: "S3 answered HEAD without a Content-Length", status: response.status)
        }
        let lastModified = response.headers.first(name: "last-modified").flatMap(S3XML.httpDate) ?? Date(timeIntervalSince1970: 0)
        return S3Object(key: key, size: size, lastModified: lastModified)
    }

    /// DeleteObject. S3 itself answers 204 for a missing key; servers that answer 404 `NoSuchKey` throw a `Failure`
    /// whose `isNotFound` is true, which callers map to "blob not found".
    func deleteObject(key: String, timeout: TimeAmount = .seconds(30)) async throws {
        _ = try await send(.DELETE, key: key, timeout: timeout)
    }
}
