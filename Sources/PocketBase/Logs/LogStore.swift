import Foundation
import GRDB
import NIOConcurrencyHelpers

/// One log line as PocketBase stores it in `auxiliary.db`'s `_logs` (levels follow Go's slog: -4 debug, 0 info,
/// 4 warn, 8 error).
public struct LogEntry: Sendable {
    public var level: Int
    public var message: String
    public var data: JSONObject
    public var created: String

    public init(level: Int, message: String, data: JSONObject, created: String = PBDate.now()) {
        self.level = level
        self.message = message
        self.data = data
        self.created = created
    }
}

/// The `logs` settings section.
public struct LogSettings: Sendable, Equatable {
    public var maxDays = 5
    public var minLevel = 0
    public var logIP = true
    public var logAuthId = false

    public init() {}

    init(_ settings: JSONObject) {
        let logs = settings["logs"]?.objectValue ?? JSONObject()
        maxDays = Self.int(logs["maxDays"]) ?? maxDays
        minLevel = Self.int(logs["minLevel"]) ?? minLevel
        logIP = logs["logIP"]?.boolValue ?? logIP
        logAuthId = logs["logAuthId"]?.boolValue ?? logAuthId
    }

    static func int(_ v: JSONValue?) -> Int? { v?.numberValue.flatMap { Int(exactly: $0.rounded(.towardZero)) } }
}

/// PocketBase's batched log writer: lines are queued and written to `_logs` in one transaction shortly after (PocketBase
/// waits up to 3 s or 200 lines; we flush within 100 ms). The queue is bounded: under a flood, the oldest unwritten lines
/// are dropped (and counted) rather than growing memory or blocking the request that logged.
public final class LogStore: Sendable {
    let pool: DatabasePool
    private let state = NIOLockedValueBox(State())
    static let flushDelay: Duration = .milliseconds(100)
    let maxQueued: Int

    struct State {
        var queue: [LogEntry] = []
        var flushScheduled = false
        var settings = LogSettings()
        var dropped = 0
    }

    init(url: URL, maxQueued: Int = 10_000) throws {
        self.maxQueued = maxQueued
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        pool = try DatabasePool(path: url.path, configuration: config)
        try pool.write { db in try Self.createTable(db) }
    }

    public var settings: LogSettings { state.withLockedValue { $0.settings } }
    /// Lines lost to a full queue since start.
    public var droppedCount: Int { state.withLockedValue { $0.dropped } }

    /// `serve --dev`: every line is also printed, whatever the settings keep (PocketBase's dev mode).
    public func printToConsole(_ printer: (@Sendable (String) -> Void)?) {
        console.withLockedValue { $0 = printer }
    }

    private let console = NIOLockedValueBox<(@Sendable (String) -> Void)?>(nil)

    /// Queues a line for `_logs` (nothing when `maxDays` is 0 or the level is below `minLevel`).
    public func add(_ entry: LogEntry) {
        if let printer = console.withLockedValue({ $0 }) { printer(Self.consoleText(entry)) }
        let schedule = state.withLockedValue { s -> Bool in
            guard s.settings.maxDays > 0, entry.level >= s.settings.minLevel else { return false }
            if s.queue.count >= maxQueued {
                s.queue.removeFirst(s.queue.count - maxQueued + 1)
                s.dropped += 1
            }
            s.queue.append(entry)
            guard !s.flushScheduled else { return false }
            s.flushScheduled = true
            return true
        }
        guard schedule else { return }
        Task {
            try? await Task.sleep(for: Self.flushDelay)
            try? await self.flush()
        }
    }

    /// PocketBase's printLog (without colours): `LEVEL message`, then a request's error and details, or another
    /// line's data, under `└─`.
    static func consoleText(_ entry: LogEntry) -> String {
        let label = [-4: "DEBUG", 0: "INFO", 4: "WARN", 8: "ERROR"][entry.level] ?? "[\(entry.level)]"
        var out = "\(label) \(entry.message)\n"
        if entry.data["type"] == "request" {
            var padding = 0
            for key in ["error", "details"] {
                guard let value = entry.data[key], value != .null else { continue }
                out += String(repeating: " ", count: padding) + "└─ " + goValue(value) + "\n"
                padding += 3
            }
        } else if !entry.data.isEmpty {
            out += "└─ " + goValue(.object(entry.data)) + "\n"
        }
        return out
    }

    /// Go's `%v` of a decoded JSON value: maps as `map[k:v …]` (sorted), lists as `[a b]`.
    static func goValue(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .object(let o): "map[" + o.sorted().map { "\($0.key):\(goValue($0.value))" }.joined(separator: " ") + "]"
        case .array(let a): "[" + a.map(goValue).joined(separator: " ") + "]"
        case .null: "<nil>"
        default: value.encoded()
        }
    }

    /// Writes every queued line now.
    public func flush() async throws {
        let batch = state.withLockedValue { s -> [LogEntry] in
            defer { s.queue = []; s.flushScheduled = false }
            return s.queue
        }
        guard !batch.isEmpty else { return }
        try await pool.write { db in
            // One prepared statement for the whole batch (compiling it per line was a tenth of a request's CPU).
            let insert = try db.cachedStatement(sql: "INSERT INTO _logs (id, level, message, data, created) VALUES (?, ?, ?, ?, ?)")
            for e in batch {
                try insert.execute(arguments: [Identifiers.recordID(), e.level, e.message, JSONValue.object(e.data.sorted()).encoded(), e.created])
            }
        }
    }

    /// Applies new settings; like PocketBase's settings reload, deletes the lines they no longer keep.
    func apply(_ settings: JSONObject, cleanup: Bool) async {
        let new = LogSettings(settings)
        let changed = state.withLockedValue { s -> Bool in
            defer { s.settings = new }
            return s.settings != new
        }
        guard cleanup, changed else { return }
        let cutoff = PBDate.format(Date().addingTimeInterval(-Double(new.maxDays) * 86_400))
        _ = try? await pool.write { db in
            try db.execute(sql: "DELETE FROM _logs WHERE created <= ? OR level < ?", arguments: [cutoff, new.minLevel])
        }
        if new.maxDays == 0 { _ = try? await pool.vacuum() }
    }

    func applyInitial(_ settings: JSONObject) {
        let new = LogSettings(settings)
        state.withLockedValue { $0.settings = new }
    }

    /// PocketBase's `__pbLogsCleanup__` job: drops lines older than `maxDays`.
    public func deleteOld() async throws {
        let cutoff = PBDate.format(Date().addingTimeInterval(-Double(settings.maxDays) * 86_400))
        try await pool.write { db in try db.execute(sql: "DELETE FROM _logs WHERE created <= ?", arguments: [cutoff]) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }

    /// Writes an empty `auxiliary.db` (WAL, the `_logs` table) at `url`, for data-dir templates: creating it is
    /// most of a log store's opening time.
    public static func createEmpty(at url: URL) throws {
        let pool = try DatabasePool(path: url.path)
        try pool.write { db in try createTable(db) }
        try pool.close()
    }

    /// PocketBase's DDL, so real PocketBase accepts the data dir.
    static func createTable(_ db: Database) throws {
        guard try !db.tableExists("_logs") else { return }
        try db.execute(sql: """
            CREATE TABLE `_logs` (
                `id`      TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
                `level`   INTEGER DEFAULT 0 NOT NULL,
                `message` TEXT DEFAULT "" NOT NULL,
                `data`    JSON DEFAULT "{}" NOT NULL,
                `created` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL
            );
            CREATE INDEX idx_logs_level on `_logs` (`level`);
            CREATE INDEX idx_logs_message on `_logs` (`message`);
            CREATE INDEX idx_logs_created_hour on `_logs` (strftime('%Y-%m-%d %H:00:00', `created`));
            """)
    }
}
