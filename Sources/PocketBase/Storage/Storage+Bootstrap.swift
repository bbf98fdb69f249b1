import Foundation
import GRDB

/// Data shipped with the engine: PocketBase's own system rows (read off the real binary) and collection scaffolds.
public enum BundledData {
    /// `{"migrations":[…], "settings":{…}, "collections":[…system collections…]}`
    static func system() throws -> JSONObject {
        try load("pb_system")
    }

    static func load(_ name: String) throws -> JSONObject {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json"),
            let obj = try JSONValue.parse(String(contentsOf: url, encoding: .utf8)).objectValue
        else { throw APIError.badRequest("missing bundled \(name).json") }
        return obj
    }
}

extension Storage {
    /// PocketBase's own (Go) migrations, recorded in `_migrations` of every data dir; they have no JS file.
    public static let systemMigrationFiles: Set<String> = Set(
        ((try? BundledData.system())?["migrations"]?.arrayValue ?? []).compactMap(\.stringValue))

    /// A `_migrations` row as PocketBase writes it (the applied time in microseconds).
    static func recordMigration(_ db: Database, _ file: String, appliedMicros: Int64) throws {
        try db.execute(sql: "INSERT INTO _migrations (file, applied) VALUES (?, ?)", arguments: [file, appliedMicros])
    }

    static func nowMicros() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }

    /// Creates PocketBase's system tables and rows in an empty data.db. Returns false if already initialised.
    @discardableResult
    public func bootstrapIfNeeded() throws -> Bool {
        guard try !isInitialized() else { return false }
        let system = try BundledData.system()
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE `_migrations` (file VARCHAR(255) PRIMARY KEY NOT NULL, applied INTEGER NOT NULL);
                CREATE TABLE `_params` (
                    `id`      TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
                    `value`   JSON DEFAULT NULL,
                    `created` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL,
                    `updated` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL
                );
                CREATE TABLE `_collections` (
                    `id`         TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
                    `system`     BOOLEAN DEFAULT FALSE NOT NULL,
                    `type`       TEXT DEFAULT "base" NOT NULL,
                    `name`       TEXT UNIQUE NOT NULL,
                    `fields`     JSON DEFAULT "[]" NOT NULL,
                    `indexes`    JSON DEFAULT "[]" NOT NULL,
                    `listRule`   TEXT DEFAULT NULL,
                    `viewRule`   TEXT DEFAULT NULL,
                    `createRule` TEXT DEFAULT NULL,
                    `updateRule` TEXT DEFAULT NULL,
                    `deleteRule` TEXT DEFAULT NULL,
                    `options`    JSON DEFAULT "{}" NOT NULL,
                    `created`    TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL,
                    `updated`    TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL
                );
                CREATE INDEX idx__collections_type on `_collections` (`type`);
                """)
            var micros = Self.nowMicros()
            for m in system["migrations"]?.arrayValue ?? [] {
                guard let file = m.stringValue else { continue }
                micros += 1
                try Self.recordMigration(db, file, appliedMicros: micros)
            }
            let now = PBDate.now()
            try db.execute(
                sql: "INSERT INTO _params (id, value, created, updated) VALUES ('settings', ?, ?, ?)",
                arguments: [(system["settings"] ?? .object(JSONObject())).encoded(), now, now])
            for c in system["collections"]?.arrayValue ?? [] {
                let collection = try CollectionDecoder.decode(c, existing: nil, now: now)
                try Self.saveCollection(db, collection, old: nil)
            }
        }
        try reloadCollections()
        return true
    }
}
