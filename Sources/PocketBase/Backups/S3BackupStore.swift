import Foundation
import NIOCore

/// Backups in the `backups.s3` bucket (PocketBase keeps them at the bucket's root, same keys as on disk).
struct S3BackupStore: BackupStore {
    let client: S3Client
    /// Backups are read whole into memory to be written to a scratch file; this bounds it.
    static let maxBackupBytes = 4 << 30

    func list() async throws -> [BackupFile] {
        try await client.listObjects(prefix: "").filter { LocalBackupStore.isValidKey($0.key) }
            .map { BackupFile(key: $0.key, size: $0.size, modified: $0.lastModified) }
    }

    func find(_ key: String) async throws -> BackupFile? {
        guard LocalBackupStore.isValidKey(key) else { return nil }
        return try await client.headObject(key: key).map { BackupFile(key: $0.key, size: $0.size, modified: $0.lastModified) }
    }

    func put(_ key: String, from source: URL) async throws {
        let data = try Data(contentsOf: source)
        try await client.putObject(key: key, body: ByteBuffer(bytes: data), contentType: "application/zip")
    }

    func fetch(_ key: String, to destination: URL) async throws {
        do {
            let object = try await client.getObject(key: key, maxBytes: Self.maxBackupBytes)
            try Data(buffer: object.body).write(to: destination)
        } catch let failure as S3Client.Failure where failure.isNotFound {
            throw BackupNotFound()
        }
    }

    /// S3 answers 204 for a missing key; PocketBase's blob store says "blob not found", so look first.
    func delete(_ key: String) async throws {
        guard try await find(key) != nil else { throw BackupNotFound() }
        try await client.deleteObject(key: key)
    }
}
