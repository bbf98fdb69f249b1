import Foundation
import GRDB
import ZIPFoundation

/// PocketBase's backup format: a zip of pb_data's files (no directory entries) without `backups/`,
/// `.pb_temp_to_delete/`, `.autocert_cache/` — and our own `.sptfy-dev/` (snapshots, mailbox), which are dev-tool
/// state rather than data. The databases are copied with SQLite's backup API from a read snapshot, so the archive is
/// consistent while the server keeps serving (and writing).
enum BackupArchive {
    static let excludedRoots: Set<String> = ["backups", ".pb_temp_to_delete", ".autocert_cache", ".sptfy-dev"]
    static let databaseFiles: Set<String> = ["data.db", "data.db-wal", "data.db-shm", "auxiliary.db", "auxiliary.db-wal", "auxiliary.db-shm"]

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// `pb_data/.pb_temp_to_delete/<prefix><random>`: PocketBase's scratch dir, removed at start.
    static func tempDir(_ dataDir: URL, prefix: String) throws -> URL {
        let dir = dataDir.appendingPathComponent(".pb_temp_to_delete").appendingPathComponent(prefix + Identifiers.random(10))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Writes the archive of `storage`'s data dir to `zip`.
    static func create(_ storage: Storage, to zip: URL) async throws {
        let fm = FileManager.default
        let staging = try tempDir(storage.dataDir, prefix: "pb_backup_")
        defer { try? fm.removeItem(at: staging) }
        try await copyDatabase(storage.pool, to: staging.appendingPathComponent("data.db"))
        try await copyDatabase(storage.logs.pool, to: staging.appendingPathComponent("auxiliary.db"))
        try? fm.removeItem(at: zip)
        let archive = try Archive(url: zip, accessMode: .create)
        for name in ["data.db", "auxiliary.db"] {
            try archive.addEntry(with: name, relativeTo: staging, compressionMethod: .deflate)
        }
        for relative in try files(in: storage.dataDir) {
            try archive.addEntry(with: relative, relativeTo: storage.dataDir, compressionMethod: .deflate)
        }
    }

    static func copyDatabase(_ pool: DatabasePool, to url: URL) async throws {
        let target = try DatabaseQueue(path: url.path)
        try pool.backup(to: target)
        try target.close()
    }

    /// Every regular file under `root` (relative, `/`-separated, sorted per directory) except the databases (copied
    /// separately) and the excluded roots.
    static func files(in root: URL) throws -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        func walk(_ dir: URL, _ prefix: String) throws {
            for name in try fm.contentsOfDirectory(atPath: dir.path).sorted() {
                let relative = prefix.isEmpty ? name : prefix + "/" + name
                if prefix.isEmpty && (excludedRoots.contains(name) || databaseFiles.contains(name)) { continue }
                let url = dir.appendingPathComponent(name)
                let values = try url.resourceValues(forKeys: [.isDirectoryKey, .isRegularFileKey, .isSymbolicLinkKey])
                if values.isSymbolicLink == true { continue }
                if values.isDirectory == true { try walk(url, relative) } else if values.isRegularFile == true { out.append(relative) }
            }
        }
        try walk(root, "")
        return out
    }

    /// Unpacks `zip` into a scratch dir and checks it is a data dir (a root `data.db`); returns the dir.
    static func extract(_ zip: URL, dataDir: URL) throws -> URL {
        let dir = try tempDir(dataDir, prefix: "pb_restore_")
        do {
            // ZIPFoundation refuses entries that would land outside the destination (zip slip).
            try FileManager.default.unzipItem(at: zip, to: dir)
        } catch {
            try? FileManager.default.removeItem(at: dir)
            throw Failure(description: "zip: not a valid zip file")
        }
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("data.db").path) else {
            try? FileManager.default.removeItem(at: dir)
            throw Failure(description: "data.db file is missing or invalid")
        }
        return dir
    }

    /// Puts an extracted backup in place: both databases through SQLite's backup API behind the pools' barriers (in-flight
    /// requests finish first, later ones see the restored data), then every other root entry replaced.
    static func restore(_ storage: Storage, from extracted: URL) async throws {
        let fm = FileManager.default
        var config = Configuration()
        config.readonly = true
        let data = try DatabaseQueue(path: extracted.appendingPathComponent("data.db").path, configuration: config)
        try await storage.pool.barrierWriteWithoutTransaction { dest in try storage.replaceData(dest, from: data) }
        try data.close()
        let auxURL = extracted.appendingPathComponent("auxiliary.db")
        if fm.fileExists(atPath: auxURL.path) {
            let aux = try DatabaseQueue(path: auxURL.path, configuration: config)
            try await storage.logs.pool.barrierWriteWithoutTransaction { dest in try aux.read { src in try src.backup(to: dest) } }
            try aux.close()
        }
        try await storage.logs.pool.write { db in try LogStore.createTable(db) }
        // The rest of pb_data (uploaded files and anything else) is replaced wholesale, as PocketBase moves it.
        for name in try fm.contentsOfDirectory(atPath: storage.dataDir.path)
        where !excludedRoots.contains(name) && !databaseFiles.contains(name) {
            try fm.removeItem(at: storage.dataDir.appendingPathComponent(name))
        }
        for name in try fm.contentsOfDirectory(atPath: extracted.path)
        where !excludedRoots.contains(name) && !databaseFiles.contains(name) {
            try fm.moveItem(at: extracted.appendingPathComponent(name), to: storage.dataDir.appendingPathComponent(name))
        }
        try await storage.reloadCollections()
    }
}
