import Foundation
import GRDB

/// `pb_migrations/*.js` applied like `pocketbase serve` / `pocketbase migrate` do: new files in filename order, each
/// in its own transaction, recorded in `_migrations` (file name, applied time in µs) so real PocketBase sees the
/// same history. A failing file leaves the database as it was before it and is reported with its line.
public struct MigrationRunner: Sendable {
    public let storage: Storage
    public let directory: URL

    public init(storage: Storage, directory: URL) {
        self.storage = storage
        self.directory = directory
    }

    /// A migration that failed: which file, which line, why.
    public struct Failure: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var reason: String
        public var description: String { "failed to apply migration \(file) (line \(line)): \(reason)" }
    }

    public enum Direction: Sendable { case up, down }

    /// Every `*.js` file of the folder, in filename order (PocketBase's order).
    public func files() throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".js") && !$0.hasPrefix(".") }.sorted()
    }

    /// The applied history, oldest first (PocketBase's own system migrations included).
    public func applied() async throws -> [String] {
        try await storage.read { db in try String.fetchAll(db, sql: "SELECT file FROM _migrations ORDER BY applied, file") }
    }

    public func pending() async throws -> [String] {
        let done = Set(try await applied())
        return try files().filter { !done.contains($0) }
    }

    /// Applies the pending files; `log` gets `applying migration <file>` for each. Returns the applied names.
    @discardableResult
    public func up(log: @Sendable (String) -> Void = { _ in }) async throws -> [String] {
        var done: [String] = []
        for file in try await pending() {
            log("applying migration \(file)")
            try await run(file, .up)
            done.append(file)
        }
        if !done.isEmpty { try await storage.reloadCollections() }
        return done
    }

    /// Reverts the last `count` applied files of this folder (newest first) with their down functions.
    @discardableResult
    public func down(_ count: Int = 1, log: @Sendable (String) -> Void = { _ in }) async throws -> [String] {
        let mine = Set(try files())
        let history = try await applied().filter { mine.contains($0) }
        var reverted: [String] = []
        for file in history.reversed().prefix(max(count, 0)) {
            log("reverting migration \(file)")
            try await run(file, .down)
            reverted.append(file)
        }
        if !reverted.isEmpty { try await storage.reloadCollections() }
        return reverted
    }

    /// `migrate history-sync`: forgets applied entries whose file no longer exists (PocketBase's own system
    /// migrations, which have no file here, are kept).
    @discardableResult
    public func historySync(systemMigrations: Set<String>) async throws -> [String] {
        let present = Set(try files())
        let stale = try await applied().filter { !present.contains($0) && !systemMigrations.contains($0) }
        try await storage.write { db in
            for f in stale { try db.execute(sql: "DELETE FROM _migrations WHERE file = ?", arguments: [f]) }
        }
        return stale
    }

    /// One file in one transaction: evaluated, then recorded (up) or forgotten (down).
    func run(_ file: String, _ direction: Direction) async throws {
        let source: String
        do {
            source = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        } catch {
            throw Failure(file: file, line: 0, reason: "cannot read the file: \(error.localizedDescription)")
        }
        guard source.utf8.count <= 16 << 20 else { throw Failure(file: file, line: 0, reason: "the file is larger than 16 MiB") }
        do {
            try await storage.write { db in
                try MigrationScript.run(source, direction, session: MigrationSession(db: db))
                switch direction {
                case .up:
                    let micros = Int64(Date().timeIntervalSince1970 * 1_000_000)
                    try db.execute(sql: "INSERT INTO _migrations (file, applied) VALUES (?, ?)", arguments: [file, micros])
                case .down:
                    try db.execute(sql: "DELETE FROM _migrations WHERE file = ?", arguments: [file])
                }
            }
        } catch let e as JSSubset.Failure {
            throw Failure(file: file, line: e.line, reason: e.message)
        } catch let e as DatabaseError {
            throw Failure(file: file, line: 0, reason: e.message ?? "\(e)")
        }
    }
}
