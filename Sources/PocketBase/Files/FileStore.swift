import Foundation
import NIOCore

/// Where record files live: `pb_data/storage/<collectionId>/<recordId>/<name>`, or the same keys in the top-level
/// `s3` bucket when `s3.enabled` (PocketBase's file storage on S3).
protocol FileStore: Sendable {
    func write(_ key: String, _ bytes: [UInt8], contentType: String) async throws
    /// The file's bytes, or nil when there is none.
    func read(_ key: String) async throws -> [UInt8]?
    func delete(_ key: String) async throws
    /// Everything under `prefix/` (a record's or a collection's files).
    func deleteAll(under prefix: String) async throws
}

struct LocalFileStore: FileStore {
    let root: URL

    func url(_ key: String) -> URL { root.appendingPathComponent(key) }

    func write(_ key: String, _ bytes: [UInt8], contentType: String) async throws {
        let target = url(key)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: target)
    }

    func read(_ key: String) async throws -> [UInt8]? {
        FileManager.default.contents(atPath: url(key).path).map { Array($0) }
    }

    func delete(_ key: String) async throws { try? FileManager.default.removeItem(at: url(key)) }

    func deleteAll(under prefix: String) async throws { try? FileManager.default.removeItem(at: url(prefix)) }
}

struct S3FileStore: FileStore {
    let client: S3Client
    /// Downloads are served from memory; this bounds one file.
    static let maxFileBytes = 1 << 30

    func write(_ key: String, _ bytes: [UInt8], contentType: String) async throws {
        try await client.putObject(key: key, body: bytes, contentType: contentType)
    }

    func read(_ key: String) async throws -> [UInt8]? {
        do {
            let object = try await client.getObject(key: key, maxBytes: Self.maxFileBytes)
            return Array(object.body.readableBytesView)
        } catch let failure as S3Client.Failure where failure.isNotFound {
            return nil
        }
    }

    func delete(_ key: String) async throws { try await client.deleteObject(key: key) }

    func deleteAll(under prefix: String) async throws {
        for object in try await client.listObjects(prefix: prefix + "/") { try await client.deleteObject(key: object.key) }
    }
}

extension Storage {
    /// The record file store the settings choose (the top-level `s3` section).
    func fileStore() -> any FileStore {
        if let s3 = cachedSettings["s3"]?.objectValue, s3["enabled"]?.boolValue == true { return S3FileStore(client: S3Client(settings: s3)) }
        return LocalFileStore(root: storageDir)
    }

    static func fileKey(_ collectionID: String, _ recordID: String, _ name: String? = nil) -> String {
        [collectionID, recordID, name].compactMap { $0 }.joined(separator: "/")
    }
}
