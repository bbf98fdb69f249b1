import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// PocketBase's scheduler: every minute, at second 0 (UTC), the due jobs run — its system jobs
/// (`__pbLogsCleanup__`, `__pbDBOptimize__`, `__pbMFACleanup__`, `__pbOTPCleanup__`) and, when `backups.cron` is set,
/// `__auto_pb_backup__` with `cronMaxKeep` rotation. (0.23.12 has no `/api/crons`; the jobs only run.)
public struct CronJobs: Sendable {
    public struct Job: Sendable {
        public let id: String
        public let schedule: CronSchedule
        let run: @Sendable (Storage, Date) async throws -> Void
    }

    let storage: Storage

    public init(storage: Storage) {
        self.storage = storage
    }

    static func system() -> [Job] {
        func job(_ id: String, _ expression: String, _ run: @escaping @Sendable (Storage, Date) async throws -> Void) -> Job? {
            (try? CronSchedule.parse(expression)).map { Job(id: id, schedule: $0, run: run) }
        }
        return [
            job("__pbLogsCleanup__", "0 */6 * * *") { storage, _ in try await storage.logs.deleteOld() },
            job("__pbDBOptimize__", "0 0 * * *") { storage, _ in
                try await storage.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
                try await storage.logs.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
                try await storage.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA optimize") }
            },
            job("__pbMFACleanup__", "0 * * * *") { storage, _ in try await storage.deleteExpired(table: "_mfas", option: "mfa") },
            job("__pbOTPCleanup__", "0 * * * *") { storage, _ in try await storage.deleteExpired(table: "_otps", option: "otp") },
        ].compactMap { $0 }
    }

    /// The jobs as the settings stand: the system ones plus the backup job when `backups.cron` parses.
    public func jobs() -> [Job] {
        var all = Self.system()
        let backups = storage.cachedSettings["backups"]?.objectValue
        if let expression = backups?["cron"]?.stringValue, !expression.isEmpty, let schedule = try? CronSchedule.parse(expression) {
            let keep = LogSettings.int(backups?["cronMaxKeep"]) ?? 0
            all.append(Job(id: "__auto_pb_backup__", schedule: schedule) { storage, date in
                try await storage.createBackup(name: storage.defaultBackupName(prefix: "@auto_pb_backup_", now: date))
                try await storage.rotateAutoBackups(keep: keep)
            })
        }
        return all
    }

    /// Runs every job due at `date` (one failing does not stop the others; failures are logged like PocketBase's).
    public func runDue(at date: Date) async {
        for job in jobs() where job.schedule.isDue(date) {
            do { try await job.run(storage, date) } catch {
                let message = job.id == "__auto_pb_backup__" ? "[Backup cron] Failed to create backup" : "Cron job \(job.id) failed"
                storage.logger.error(.init(stringLiteral: message), metadata: ["error": .string("\(error)")])
            }
        }
    }
}

/// The scheduler as a service next to the HTTP server: sleeps to the next minute boundary, runs what is due.
public struct CronService: Service {
    let jobs: CronJobs

    public init(storage: Storage) {
        jobs = CronJobs(storage: storage)
    }

    public func run() async throws {
        while !(Task.isCancelled || Task.isShuttingDownGracefully) {
            let now = Date().timeIntervalSince1970
            let next = (now / 60).rounded(.down) * 60 + 60
            // Shutdown ends the wait instead of sleeping out the minute.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(next - now)) }
            if (Task.isCancelled || Task.isShuttingDownGracefully) { return }
            await jobs.runDue(at: Date(timeIntervalSince1970: next))
        }
    }
}

extension Storage {
    /// PocketBase's expired MFA/OTP cleanup: rows older than each auth collection's `mfa`/`otp` duration.
    func deleteExpired(table: String, option: String) async throws {
        let cutoffs = collections.filter(\.isAuth).map { c -> (String, String) in
            let seconds = c.options[option]?["duration"]?.numberValue ?? 0
            return (c.id, PBDate.format(Date().addingTimeInterval(-seconds)))
        }
        try await write { db in
            guard try db.tableExists(table) else { return }
            for (id, cutoff) in cutoffs {
                try db.execute(sql: "DELETE FROM \(SQLQuote.ident(table)) WHERE collectionRef = ? AND created < ?", arguments: [id, cutoff])
            }
        }
    }
}
