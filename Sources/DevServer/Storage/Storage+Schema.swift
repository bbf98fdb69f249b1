import Foundation
import GRDB

extension Storage {
    static func quote(_ ident: String) -> String { "`" + ident.replacingOccurrences(of: "`", with: "``") + "`" }

    /// core/collection_query.go's `normalizeViewQueryId`: unless the query's `id` column is declared TEXT, the query
    /// is wrapped so `id` is `CAST(… as TEXT)` — PocketBase ids are strings, so a `ROW_NUMBER()` id then compares as
    /// text in filters (`id = 3` finds nothing, `id = '3'` does), exactly like there.
    static func normalizedViewQuery(_ db: Database, _ raw: String) throws -> String {
        let query = raw.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ";"))
        let temp = quote("_temp_" + Identifiers.random(6, alphabet: Identifiers.alphanumeric))
        try db.execute(sql: "CREATE TEMP VIEW \(temp) AS SELECT * FROM (\(query))")
        defer { try? db.execute(sql: "DROP VIEW IF EXISTS \(temp)") }
        let info = try Row.fetchAll(db, sql: "PRAGMA table_info(\(temp))")
        if info.contains(where: { ($0["name"] as String?)?.lowercased() == "id" && ($0["type"] as String?)?.uppercased() == "TEXT" }) {
            return query
        }
        guard let (columns, _) = try? ViewFields.parse(query) else { return query }
        let list = columns.map { $0.1 == "id" ? "CAST(\(quote("id")) as TEXT) \(quote("id"))" : quote($0.1) }
        return "SELECT \(list.joined(separator: ",")) FROM (\(query))"
    }

    /// Creates or migrates the table/view behind a collection and upserts its `_collections` row.
    /// Runs inside the caller's transaction.
    static func saveCollection(_ db: Database, _ new: Collection, old: Collection?) throws {
        let table = quote(new.name)
        if new.isView {
            if let old { try db.execute(sql: "DROP VIEW IF EXISTS \(quote(old.name))") }
            try db.execute(sql: "DROP VIEW IF EXISTS \(table)")
            let query = try normalizedViewQuery(db, new.viewQuery)
            try db.execute(sql: "CREATE VIEW \(table) AS SELECT * FROM (\(query))")
        } else if let old, try db.tableExists(old.name) {
            try dropLookupIndexes(db, table: old.name)
            for index in old.indexes { if let name = indexName(index) { try db.execute(sql: "DROP INDEX IF EXISTS \(quote(name))") } }
            if old.name != new.name { try db.execute(sql: "ALTER TABLE \(quote(old.name)) RENAME TO \(table)") }
            let existing = Set(try db.columns(in: new.name).map(\.name))
            let newByID = Dictionary(new.fields.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for f in old.fields {
                if let nf = newByID[f.id] {
                    if nf.name != f.name, existing.contains(f.name) {
                        try db.execute(sql: "ALTER TABLE \(table) RENAME COLUMN \(quote(f.name)) TO \(quote(nf.name))")
                    }
                } else if existing.contains(f.name), f.name != "id" {
                    try db.execute(sql: "ALTER TABLE \(table) DROP COLUMN \(quote(f.name))")
                }
            }
            let now = Set(try db.columns(in: new.name).map(\.name))
            for f in new.fields where !now.contains(f.name) {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \"\(f.name)\" \(f.columnDefinition)")
            }
        } else {
            // Columns created with the table are in alphabetical order, like PocketBase.
            let cols = new.fields.sorted { $0.name < $1.name }.map { "\(quote($0.name)) \($0.columnDefinition)" }
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
                new.id, new.system, new.type, new.name, JSONValue.array(new.fields.map { .object($0.raw) }).encoded(),
                JSONValue.array(new.indexes.map { .string($0) }).encoded(), new.listRule, new.viewRule, new.createRule,
                new.updateRule, new.deleteRule, JSONValue.object(new.options).encoded(), new.created, new.updated,
            ])
    }

    static func deleteCollection(_ db: Database, _ c: Collection) throws {
        if c.isView {
            try db.execute(sql: "DROP VIEW IF EXISTS \(quote(c.name))")
        } else {
            try db.execute(sql: "DROP TABLE IF EXISTS \(quote(c.name))")
        }
        try db.execute(sql: "DELETE FROM _collections WHERE id = ?", arguments: [c.id])
    }

    /// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON …` → name.
    static func indexName(_ sql: String) -> String? {
        let tokens = sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        guard let i = tokens.firstIndex(where: { $0.uppercased() == "INDEX" }) else { return nil }
        var j = i + 1
        if j + 2 < tokens.count, tokens[j].uppercased() == "IF" { j += 3 }
        guard j < tokens.count else { return nil }
        return tokens[j].trimmingCharacters(in: CharacterSet(charactersIn: "`\"[]'"))
    }

    /// Parsed unique indexes: (index name, column names) — used to map constraint failures to fields.
    static func uniqueIndexColumns(indexes: [String]) -> [[String]] {
        indexes.compactMap { sql in
            guard sql.uppercased().contains("UNIQUE"), let open = sql.firstIndex(of: "("),
                let close = sql[open...].firstIndex(of: ")")
            else { return nil }
            return sql[sql.index(after: open)..<close].split(separator: ",").compactMap { part in
                part.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").first.map {
                    $0.trimmingCharacters(in: CharacterSet(charactersIn: "`\"[]"))
                }
            }
        }
    }
}
