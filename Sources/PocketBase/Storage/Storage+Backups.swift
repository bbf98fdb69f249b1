import Foundation

/// Backups of the data dir (PocketBase's `CreateBackup` / `RestoreBackup`), one at a time.
extension Storage {
    public struct BackupBusy: Error, CustomStringConvertible {
        public var description: String { "Try again later - another backup/restore process has already been started." }
    }

    public var backupsDir: URL { dataDir.appendingPathComponent("backups") }

    /// `pb_data/backups`, or the `backups.s3` bucket when enabled.
    func backupStore() -> any BackupStore {
        if let s3 = cachedSettings["backups"]?["s3"]?.objectValue, s3["enabled"]?.boolValue == true {
            return S3BackupStore(client: S3Client(settings: s3))
        }
        return LocalBackupStore(dir: backupsDir)
    }

    /// The active backup/restore name while one runs (`canBackup` is false, a second one is refused).
    func beginBackup(_ name: String) throws {
        try activeBackup.withLockedValue { active in
            guard active == nil else { throw BackupBusy() }
            active = name
        }
    }

    func endBackup() { activeBackup.withLockedValue { $0 = nil } }

    public var activeBackupName: String? { activeBackup.withLockedValue { $0 } }

    /// PocketBase's default name: `pb_backup_<snake app name, 50 chars>_<UTC yyyyMMddHHmmss>.zip`.
    public func defaultBackupName(prefix: String = "pb_backup_", now: Date = Date()) -> String {
        let appName = cachedSettings["meta"]?["appName"]?.stringValue ?? "Acme"
        return prefix + String(MigrationTemplates.snakeCase(appName).prefix(50)) + "_" + Self.compactTimestamp(now) + ".zip"
    }

    static func compactTimestamp(_ date: Date) -> String {
        let iso = PBDate.format(date)  // "2026-12-02 17:08:19.944Z"
        return String(iso.prefix(19).filter(\.isNumber))
    }

    /// Archives the data dir and stores it under `name` (writes go on meanwhile).
    public func createBackup(name: String) async throws {
        try beginBackup(name)
        defer { endBackup() }
        let zip = try BackupArchive.tempDir(dataDir, prefix: "pb_backup_zip_").appendingPathComponent("backup.zip")
        defer { try? FileManager.default.removeItem(at: zip.deletingLastPathComponent()) }
        try await BackupArchive.create(self, to: zip)
        try await backupStore().put(name, from: zip)
    }

    /// Replaces the data with the backup `key`. PocketBase restarts its process afterwards; we swap the data in place
    /// behind the pools' barriers and drop the realtime connections, as a restart would.
    public func restoreBackup(_ key: String) async throws {
        try beginBackup(key)
        defer { endBackup() }
        let scratch = try BackupArchive.tempDir(dataDir, prefix: "pb_restore_zip_")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let zip = scratch.appendingPathComponent("backup.zip")
        try await backupStore().fetch(key, to: zip)
        let extracted = try BackupArchive.extract(zip, dataDir: dataDir)
        defer { try? FileManager.default.removeItem(at: extracted) }
        try await BackupArchive.restore(self, from: extracted)
        realtime.closeAll()
    }

    public func backupFiles() async throws -> [BackupFile] { try await backupStore().list() }

    public func deleteBackup(_ key: String) async throws { try await backupStore().delete(key) }

    /// PocketBase's cron rotation: only `@auto_pb_backup_*` keys, newest `keep` kept.
    func rotateAutoBackups(keep: Int) async throws {
        guard keep > 0 else { return }
        let store = backupStore()
        let auto = try await store.list().filter { $0.key.hasPrefix("@auto_pb_backup_") }.sorted { $0.modified > $1.modified }
        for old in auto.dropFirst(keep) { try await store.delete(old.key) }
    }
}
