import Foundation
import GRDB
import NIOConcurrencyHelpers

/// The pb_data directory: `data.db` (PocketBase's table layout), `auxiliary.db`, `storage/`.
public final class Storage: Sendable {
    public let dataDir: URL
    let pool: DatabasePool
    private let cache = NIOLockedValueBox<[CollectionModel]>([])
    /// Views whose query reads the clock or randomness: lists over them are never cached.
    private let volatileViewNames = NIOLockedValueBox<[String]>([])
    public var volatileViews: [String] { volatileViewNames.withLockedValue { $0 } }
    let settingsCache = NIOLockedValueBox<JSONObject>(JSONObject())
    /// Set while a backup or restore runs (`/api/health`'s `canBackup`, and the "try again later" refusal).
    let activeBackup = NIOLockedValueBox<String?>(nil)
    public var backupInProgress: Bool { activeBackup.withLockedValue { $0 != nil } }
    /// Realtime subscribers; record saves and deletes notify it when their transaction commits.
    public let realtime = RealtimeBroker()
    /// The request and app logs (`auxiliary.db`).
    public let logs: LogStore
    /// The rate limit rules in force and their per-client windows.
    public let rateLimiter = RateLimiter()
    /// Exact cached results of reads (lists, app aggregates), dropped as the tables they read change.
    public let resultCache = ResultCache()

    public init(dataDir: URL) throws {
        self.dataDir = dataDir
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
        var config = Configuration()
        // A second process (real PocketBase, the CLI) may hold the write lock briefly.
        config.busyMode = .timeout(10)
        // PocketBase's SQLite accepts "double-quoted" string literals in view queries and rules; GRDB refuses them.
        config.acceptsDoubleQuotedStringLiterals = true
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 200000000; PRAGMA temp_store = MEMORY")
        }
        pool = try DatabasePool(path: dataDir.appendingPathComponent("data.db").path, configuration: config)
        logs = try LogStore(url: dataDir.appendingPathComponent("auxiliary.db"))
        pool.add(transactionObserver: ResultCacheObserver(cache: resultCache), extent: .databaseLifetime)
        if try isInitialized() {
            try reloadCollections()
            try ensureLookupIndexes()
        }
    }

    public var storageDir: URL { dataDir.appendingPathComponent("storage") }

    public func isInitialized() throws -> Bool {
        try pool.read { db in try db.tableExists("_collections") }
    }

    // MARK: collections cache

    public var collections: [CollectionModel] { cache.withLockedValue { $0 } }

    /// Finds by id, or by name case-insensitively (like PocketBase's cached lookup).
    public func collection(_ idOrName: String) -> CollectionModel? {
        let all = collections
        return all.first { $0.id == idOrName } ?? all.first { $0.name.lowercased() == idOrName.lowercased() }
    }

    /// Synchronous, for opening a data dir and setup outside requests; handlers use the async form, which does not
    /// block a thread of the concurrency pool and reads on the current transaction (see `read`).
    public func reloadCollections() throws {
        let (loaded, settings) = try pool.read { db in (try Self.loadCollections(db), try Self.loadSettings(db)) }
        resultCache.invalidateAll()
        volatileViewNames.withLockedValue { $0 = RecordQuery.volatileViews(loaded) }
        cache.withLockedValue { $0 = loaded }
        settingsCache.withLockedValue { $0 = settings }
        rateLimiter.load(settings)
        logs.applyInitial(settings)
    }

    public func reloadCollections() async throws {
        let (loaded, settings) = try await read { db in (try Self.loadCollections(db), try Self.loadSettings(db)) }
        resultCache.invalidateAll()
        volatileViewNames.withLockedValue { $0 = RecordQuery.volatileViews(loaded) }
        cache.withLockedValue { $0 = loaded }
        settingsCache.withLockedValue { $0 = settings }
        rateLimiter.load(settings)
        await logs.apply(settings, cleanup: true)
    }

    static func loadCollections(_ db: Database) throws -> [CollectionModel] {
        try Row.fetchAll(db, sql: "SELECT * FROM _collections ORDER BY rowid").map { row in
            let fieldsJSON = (try? JSONValue.parseStrict(row["fields"] ?? "[]"))?.arrayValue ?? []
            let indexesJSON = (try? JSONValue.parseStrict(row["indexes"] ?? "[]"))?.arrayValue ?? []
            let options = (try? JSONValue.parseStrict(row["options"] ?? "{}"))?.objectValue ?? JSONObject()
            return CollectionModel(
                id: row["id"], name: row["name"], type: CollectionType(rawValue: row["type"] ?? "") ?? .base, system: row["system"] ?? false,
                fields: fieldsJSON.compactMap { $0.objectValue.map(Field.init(raw:)) },
                indexes: indexesJSON.compactMap(\.stringValue),
                listRule: row["listRule"], viewRule: row["viewRule"], createRule: row["createRule"],
                updateRule: row["updateRule"], deleteRule: row["deleteRule"], options: options,
                created: row["created"] ?? "", updated: row["updated"] ?? "")
        }
    }
}

extension Storage {
    /// The collections of a data dir, read-only (another process — real PocketBase — may be running on it).
    public static func readCollections(dataDir: URL) throws -> [CollectionModel] {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: dataDir.appendingPathComponent("data.db").path, configuration: config)
        return try queue.read { db in try loadCollections(db) }
    }
}
