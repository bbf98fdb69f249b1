import Foundation
import GRDB

extension Storage {
    /// core/collection_query.go's `normalizeViewQueryId`: unless the query's `id` column is declared TEXT, the query
    /// is wrapped so `id` is `CAST(… as TEXT)` — PocketBase ids are strings, so a `ROW_NUMBER()` id then compares as
    /// text in filters (`id = 3` finds nothing, `id = '3'` does), exactly like there.
    static func normalizedViewQuery(_ db: Database, _ raw: String) throws -> String {
        let query = raw.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ";"))
        let temp = SQLQuote.ident("_temp_" + Identifiers.random(6, alphabet: Identifiers.alphanumeric))
        try db.execute(sql: "CREATE TEMP VIEW \(temp) AS SELECT * FROM (\(query))")
        defer { try? db.execute(sql: "DROP VIEW IF EXISTS \(temp)") }
        let info = try Row.fetchAll(db, sql: "PRAGMA table_info(\(temp))")
        if info.contains(where: { ($0["name"] as String?)?.lowercased() == "id" && ($0["type"] as String?)?.uppercased() == "TEXT" }) {
            return query
        }
        guard let (columns, _) = try? ViewFields.parse(query) else { return query }
        let list = columns.map { $0.1 == "id" ? "CAST(\(SQLQuote.ident("id")) as TEXT) \(SQLQuote.ident("id"))" : SQLQuote.ident($0.1) }
        return "SELECT \(list.joined(separator: ",")) FROM (\(query))"
    }

    /// Creates or migrates the table/view behind a collection and upserts its `_collections` row.
    /// Runs inside the caller's transaction.
    static func saveCollection(_ db: Database, _ new: CollectionModel, old: CollectionModel?) throws {
        try writeCollection(db, new, old: old)
        // resaveViewsWithChangedFields: views reading this collection get their fields derived again.
        if !new.isView { try resaveViews(db, changed: new.id) }
    }

    static func resaveViews(_ db: Database, changed: String) throws {
        let all = try loadCollections(db)
        func lookup(_ key: String) -> CollectionModel? { all.first { $0.id == key } ?? all.first { $0.name.lowercased() == key.lowercased() } }
        for view in all where view.isView && view.id != changed {
            // Compared without ids (clones get new ones on every save).
            func withoutIDs(_ list: [Field]) -> [JSONObject] { list.map { f in var raw = f.raw; raw["id"] = nil; return raw } }
            guard let fields = ViewFields.derive(query: view.viewQuery, submitted: view.fields, lookup: lookup),
                withoutIDs(fields) != withoutIDs(view.fields)
            else { continue }
            var updated = view
            updated.fields = fields
            try writeCollection(db, updated, old: view)
        }
    }

    static func writeCollection(_ db: Database, _ new: CollectionModel, old: CollectionModel?) throws {
        let table = SQLQuote.ident(new.name)
        if new.isView {
            if let old { try db.execute(sql: "DROP VIEW IF EXISTS \(SQLQuote.ident(old.name))") }
            try db.execute(sql: "DROP VIEW IF EXISTS \(table)")
            let query = try normalizedViewQuery(db, new.viewQuery)
            try db.execute(sql: "CREATE VIEW \(table) AS SELECT * FROM (\(query))")
        } else if let old, try db.tableExists(old.name) {
            try dropLookupIndexes(db, table: old.name)
            for index in old.indexes { if let name = IndexSQL.name(index) { try db.execute(sql: "DROP INDEX IF EXISTS \(SQLQuote.ident(name))") } }
            if old.name != new.name { try db.execute(sql: "ALTER TABLE \(SQLQuote.ident(old.name)) RENAME TO \(table)") }
            let existing = Set(try db.columns(in: new.name).map(\.name))
            let newByID = Dictionary(new.fields.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for f in old.fields {
                if let nf = newByID[f.id] {
                    if nf.name != f.name, existing.contains(f.name) {
                        try db.execute(sql: "ALTER TABLE \(table) RENAME COLUMN \(SQLQuote.ident(f.name)) TO \(SQLQuote.ident(nf.name))")
                    }
                } else if existing.contains(f.name), f.name != "id" {
                    try db.execute(sql: "ALTER TABLE \(table) DROP COLUMN \(SQLQuote.ident(f.name))")
                }
            }
            let now = Set(try db.columns(in: new.name).map(\.name))
            for f in new.fields where !now.contains(f.name) {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \"\(f.name)\" \(f.columnDefinition)")
            }
        } else {
            // Columns created with the table are in alphabetical order, like PocketBase.
            let cols = new.fields.sorted { $0.name < $1.name }.map { "\(SQLQuote.ident($0.name)) \($0.columnDefinition)" }
            try db.execute(sql: "CREATE TABLE \(table) (\(cols.joined(separator: ", ")))")
        }
        if !new.isView {
            for index in new.indexes { try db.execute(sql: index) }
            try createLookupIndexes(db, new)
        }
        try db.execute(
            sql: """
                INSERT INTO _collections (id, system, type, name, fields, indexes, listRule, viewRule, createRule, updateRule,
                    deleteRule, options, created, updated)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                ON CONFLICT(id) DO UPDATE SET system=excluded.system, type=excluded.type, name=excluded.name,
                    fields=excluded.fields, indexes=excluded.indexes, listRule=excluded.listRule, viewRule=excluded.viewRule,
                    createRule=excluded.createRule, updateRule=excluded.updateRule, deleteRule=excluded.deleteRule,
                    options=excluded.options, updated=excluded.updated
                """,
            arguments: [
                new.id, new.system, new.type.rawValue, new.name, JSONValue.array(new.fields.map { .object($0.raw) }).encoded(),
                JSONValue.array(new.indexes.map { .string($0) }).encoded(), new.listRule, new.viewRule, new.createRule,
                new.updateRule, new.deleteRule, JSONValue.object(new.options).encoded(), new.created, new.updated,
            ])
    }

    static func deleteCollection(_ db: Database, _ c: CollectionModel) throws {
        if c.isView {
            try db.execute(sql: "DROP VIEW IF EXISTS \(SQLQuote.ident(c.name))")
        } else {
            try db.execute(sql: "DROP TABLE IF EXISTS \(SQLQuote.ident(c.name))")
        }
        try db.execute(sql: "DELETE FROM _collections WHERE id = ?", arguments: [c.id])
    }

}

extension Storage {
    /// Adds or replaces (by `name`) an OAuth2 provider of an auth collection. Called on every start by a dev server,
    /// so an unchanged provider leaves the collection (and its indexes) alone.
    public func setOAuth2Provider(_ provider: JSONValue, collection name: String) throws {
        guard var c = collection(name), var oauth2 = c.options["oauth2"]?.objectValue else { return }
        let current = oauth2["providers"]?.arrayValue ?? []
        if current.contains(provider) { return }
        var providers = current.filter { $0["name"] != provider["name"] }
        providers.append(provider)
        oauth2["providers"] = .array(providers)
        c.options["oauth2"] = .object(oauth2)
        let old = collection(name)
        try pool.write { db in try Self.saveCollection(db, c, old: old) }
        try reloadCollections()
    }
}
