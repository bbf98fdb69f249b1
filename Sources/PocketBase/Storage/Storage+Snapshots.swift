import Foundation
import GRDB

/// Named copies of a data dir's state (`data.db` through SQLite's backup API, plus the uploaded files), restored
/// in milliseconds. `initial` is taken when a data dir is created (after the fixtures), and is what a reset restores.
extension Storage {
    public static let initialSnapshot = "initial"

    public struct SnapshotError: Error, CustomStringConvertible {
        public let description: String
    }

    var snapshotsDir: URL { dataDir.appendingPathComponent(".sptfy-dev").appendingPathComponent("snapshots") }

    func snapshotPaths(_ name: String) throws -> (db: URL, files: URL) {
        guard !name.isEmpty, name.count <= 100, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw SnapshotError(description: "Snapshot names are 1–100 characters of A-Z a-z 0-9 - _.")
        }
        return (snapshotsDir.appendingPathComponent(name + ".db"), snapshotsDir.appendingPathComponent(name + ".storage"))
    }

    public func snapshotNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: snapshotsDir.path)) ?? []
        return files.filter { $0.hasSuffix(".db") }.map { String($0.dropLast(3)) }.sorted()
    }

    /// Saves the current state under `name` (replacing an older one). Writes wait; reads go on.
    public func saveSnapshot(_ name: String) async throws {
        let (db, files) = try snapshotPaths(name)
        let fm = FileManager.default
        try fm.createDirectory(at: snapshotsDir, withIntermediateDirectories: true)
        let temp = snapshotsDir.appendingPathComponent(".\(name)-\(UUID().uuidString).db")
        try await pool.writeWithoutTransaction { source in
            let target = try DatabaseQueue(path: temp.path)
            try target.writeWithoutTransaction { dest in try source.backup(to: dest) }
            try target.close()
            try? fm.removeItem(at: files)
            if fm.fileExists(atPath: self.storageDir.path) { try fm.copyItem(at: self.storageDir, to: files) }
        }
        _ = try? fm.removeItem(at: db)
        try fm.moveItem(at: temp, to: db)
    }

    /// Copies `source` over the data database from inside the pool's barrier, and forgets what described the old
    /// contents: the writer's prepared statements (they may name columns the new schema lacks) and every cached
    /// result (the file was swapped under the observer). For snapshot and backup restores.
    func replaceData(_ dest: Database, from source: DatabaseQueue) throws {
        try source.read { src in try src.backup(to: dest) }
        dest.clearSchemaCache()
        resultCache.invalidateAll()
    }

    /// Puts the state saved under `name` back. In-flight requests finish first (the restore waits for every
    /// read and write), later ones wait for it and see the restored state.
    public func restoreSnapshot(_ name: String) async throws {
        let (db, files) = try snapshotPaths(name)
        let fm = FileManager.default
        guard fm.fileExists(atPath: db.path) else { throw SnapshotError(description: "No snapshot named \(name).") }
        var config = Configuration()
        config.readonly = true
        let source = try DatabaseQueue(path: db.path, configuration: config)
        let storageDir = self.storageDir
        try await pool.barrierWriteWithoutTransaction { dest in
            try self.replaceData(dest, from: source)
            try? fm.removeItem(at: storageDir)
            if fm.fileExists(atPath: files.path) { try fm.copyItem(at: files, to: storageDir) }
        }
        try source.close()
        try await reloadCollections()
    }
}
