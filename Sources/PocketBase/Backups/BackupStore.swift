import Foundation

/// One stored backup as `GET /api/backups` lists it.
public struct BackupFile: Sendable, Equatable {
    public var key: String
    public var size: Int
    public var modified: Date

    /// `{"modified","key","size"}` in PocketBase's order; the time is the file's, in UTC with milliseconds.
    var json: JSONValue {
        .object(JSONObject([("modified", .string(PBDate.format(modified))), ("key", .string(key)), ("size", .number(Double(size)))]))
    }
}

/// Where backups live: `pb_data/backups` or, with `backups.s3.enabled`, a bucket.
protocol BackupStore: Sendable {
    func list() async throws -> [BackupFile]
    func find(_ key: String) async throws -> BackupFile?
    /// Stores the file at `source` under `key` (replacing one of the same name).
    func put(_ key: String, from source: URL) async throws
    /// Copies the backup to a local file.
    func fetch(_ key: String, to destination: URL) async throws
    func delete(_ key: String) async throws
}

struct BackupNotFound: Error, CustomStringConvertible {
    var description: String { "blob not found" }
}

/// PocketBase's local blob store (gocloud fileblob): the file plus a `<key>.attrs` JSON sidecar that is never listed.
struct LocalBackupStore: BackupStore {
    let dir: URL

    static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && !key.contains("/") && !key.contains("\\") && key != "." && key != ".." && !key.hasSuffix(".attrs") && !key.hasPrefix(".")
    }

    func url(_ key: String) throws -> URL {
        guard Self.isValidKey(key) else { throw BackupNotFound() }
        return dir.appendingPathComponent(key)
    }

    func list() async throws -> [BackupFile] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        // Go's fileblob lists in byte order of the keys.
        return names.filter(Self.isValidKey).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.compactMap { stat($0) }
    }

    func stat(_ key: String) -> BackupFile? {
        guard Self.isValidKey(key) else { return nil }
        let u = dir.appendingPathComponent(key)
        guard let values = try? u.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]), values.isRegularFile == true
        else { return nil }
        return BackupFile(key: key, size: values.fileSize ?? 0, modified: values.contentModificationDate ?? Date())
    }

    func find(_ key: String) async throws -> BackupFile? { stat(key) }

    func put(_ key: String, from source: URL) async throws {
        let target = try url(key)
        let fm = FileManager.default
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        try? fm.removeItem(at: target)
        try fm.copyItem(at: source, to: target)
        let attrs = JSONValue.obj([
            "user.cache_control": "", "user.content_disposition": "", "user.content_encoding": "", "user.content_language": "",
            "user.content_type": "application/zip", "user.metadata": .obj(["original-filename": .string(key)]),
        ])
        try Data(attrs.encoded().utf8).write(to: dir.appendingPathComponent(key + ".attrs"))
    }

    func fetch(_ key: String, to destination: URL) async throws {
        let source = try url(key)
        guard FileManager.default.fileExists(atPath: source.path) else { throw BackupNotFound() }
        try? FileManager.default.removeItem(at: destination)
        try FileManager.default.copyItem(at: source, to: destination)
    }

    func delete(_ key: String) async throws {
        let target = try url(key)
        guard FileManager.default.fileExists(atPath: target.path) else { throw BackupNotFound() }
        try FileManager.default.removeItem(at: target)
        try? FileManager.default.removeItem(at: dir.appendingPathComponent(key + ".attrs"))
    }
}
