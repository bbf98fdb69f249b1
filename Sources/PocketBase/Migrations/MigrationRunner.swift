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
    /// Consecutive v0.22 (`new Dao(db)`) files run together on 0.22's initial schema and are converted like 0.23
    /// converts a v0.22 database, in one transaction, before the next v0.23 file.
    @discardableResult
    public func up(log: @Sendable (String) -> Void = { _ in }) async throws -> [String] {
        var done: [String] = []
        var queue = try await pending()[...]
        // Each file is read and parsed once; a v0.23 file that ends a v0.22 run is carried to the next round.
        var next: Script? = nil
        while let first = try next ?? queue.popFirst().map(load) {
            next = nil
            guard first.isLegacy else {
                log("applying migration \(first.file)")
                try await run(first, .up)
                done.append(first.file)
                continue
            }
            var block = [first]
            while let file = queue.popFirst() {
                let script = try load(file)
                if script.isLegacy { block.append(script) } else { next = script; break }
            }
            try await runLegacy(block, log: log)
            done += block.map(\.file)
        }
        if !done.isEmpty { try await storage.reloadCollections() }
        return done
    }

    /// A file read and parsed.
    struct Script {
        let file: String
        let statements: [JSSubset.Stmt]
        /// Written for 0.22's `new Dao(db)` API.
        let isLegacy: Bool
    }

    func load(_ file: String) throws -> Script {
        let text: String
        do {
            text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        } catch {
            throw Failure(file: file, line: 0, reason: "cannot read the file: \(error.localizedDescription)")
        }
        guard text.utf8.count <= 16 << 20 else { throw Failure(file: file, line: 0, reason: "the file is larger than 16 MiB") }
        do {
            let statements = try JSSubset.parse(text)
            return Script(file: file, statements: statements, isLegacy: MigrationScript.isLegacy(statements))
        } catch let e as JSSubset.Failure {
            throw Failure(file: file, line: e.line, reason: e.message)
        }
    }

    /// A run of v0.22 files: evaluated on 0.22's initial schema, converted, imported, recorded — all or nothing.
    /// Only a history that has not yet gone past v0.22 can take them (the v0.22 shape is not kept afterwards).
    func runLegacy(_ scripts: [Script], log: @Sendable (String) -> Void) async throws {
        let history = try await applied().filter { !Storage.systemMigrationFiles.contains($0) }
        if !history.isEmpty, let first = scripts.first?.file {
            throw Failure(
                file: first, line: 0,
                reason: "a v0.22 (Dao) migration cannot run after other migrations were applied (\(history.last ?? "")): its v0.22 schema is gone")
        }
        for s in scripts { log("applying migration \(s.file)") }
        let last = scripts.last?.file ?? ""
        do {
            try await storage.write { db in
                let legacy = LegacyHosts.LegacySchema([LegacyHosts.LegacySchema.initialUsers])
                let session = MigrationSession(db: db)
                var micros = Storage.nowMicros()
                for script in scripts {
                    do {
                        try MigrationScript.run(script.statements, .up, session: session, legacy: legacy)
                    } catch let e as JSSubset.Failure {
                        throw Failure(file: script.file, line: e.line, reason: e.message)
                    }
                    micros += 1
                    try Storage.recordMigration(db, script.file, appliedMicros: micros)
                }
                let converted = legacy.collections.map { JSONValue.object(LegacyConversion.convert($0.jsonObject())) }
                try session.importCollections(converted, deleteMissing: false, line: 0)
                // What the v0.22 files deleted (0.22's `users` included) goes too; 0.23's system collections stay.
                let kept = Set(legacy.collections.map { $0.string("id") })
                for c in try session.collections() where !c.system && !kept.contains(c.id) { try Storage.deleteCollection(db, c) }
                // migrateSuperusers: 0.22's admin token durations (defaults) carry over.
                try session.importCollections(
                    [.obj(["name": .string(SystemCollection.superusers), "authToken": .obj(["duration": 1_209_600]),
                           "passwordResetToken": .obj(["duration": 1800]), "fileToken": .obj(["duration": 120])])],
                    deleteMissing: false, line: 0)
            }
        } catch let e as JSSubset.Failure {
            throw Failure(file: last, line: e.line, reason: "converting the v0.22 schema: " + e.message)
        } catch let e as DatabaseError {
            throw Failure(file: last, line: 0, reason: e.message ?? "\(e)")
        }
    }

    /// Reverts the last `count` applied files of this folder (newest first) with their down functions.
    @discardableResult
    public func down(_ count: Int = 1, log: @Sendable (String) -> Void = { _ in }) async throws -> [String] {
        let mine = Set(try files())
        let history = try await applied().filter { mine.contains($0) }
        var reverted: [String] = []
        for file in history.reversed().prefix(max(count, 0)) {
            log("reverting migration \(file)")
            let script = try load(file)
            if script.isLegacy { throw Failure(file: file, line: 0, reason: "reverting a v0.22 (Dao) migration is not supported") }
            try await run(script, .down)
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
    func run(_ script: Script, _ direction: Direction) async throws {
        let file = script.file
        do {
            try await storage.write { db in
                try MigrationScript.run(script.statements, direction, session: MigrationSession(db: db))
                switch direction {
                case .up:
                    try Storage.recordMigration(db, file, appliedMicros: Storage.nowMicros())
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
