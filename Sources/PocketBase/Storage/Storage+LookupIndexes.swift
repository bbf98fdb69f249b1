import Foundation
import GRDB

/// Indexes sptfy-dev adds so relation lookups (`user = @request.auth.id`, `author = '…'`, `user.id = '…'`
/// through viewList) don't scan. They are not part of any collection's `indexes` (the API shows the schema
/// unchanged); real PocketBase ignores them, and may drop them when it re-saves the collection.
extension Storage {
    static let lookupIndexPrefix = "idx_sptfydev_"

    static func lookupIndexes(_ c: CollectionModel) -> [(name: String, sql: String)] {
        guard !c.isView else { return [] }
        return c.fields.filter { $0.type == .relation && !$0.isMultiple }.compactMap { f in
            // Skip fields already covered by a declared index whose first column is the field.
            let covered = c.indexes.contains { sql in
                guard let open = sql.firstIndex(of: "(") else { return false }
                let first = sql[sql.index(after: open)...].split(whereSeparator: { ",) ".contains($0) }).first
                return first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "`\"[]")) } == f.name
            }
            guard !covered else { return nil }
            let name = lookupIndexPrefix + c.name + "_" + f.name
            return (name, "CREATE INDEX IF NOT EXISTS \(SQLQuote.ident(name)) ON \(SQLQuote.ident(c.name)) (\(SQLQuote.ident(f.name)))")
        }
    }

    static func dropLookupIndexes(_ db: Database, table: String) throws {
        let names = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name LIKE ?",
            arguments: [table, lookupIndexPrefix + "%"])
        for n in names { try db.execute(sql: "DROP INDEX IF EXISTS \(SQLQuote.ident(n))") }
    }

    static func createLookupIndexes(_ db: Database, _ c: CollectionModel) throws {
        guard try db.tableExists(c.name) else { return }
        for idx in lookupIndexes(c) { try db.execute(sql: idx.sql) }
    }

    /// Ensures the lookup indexes of every collection (idempotent; run when a data dir is opened).
    public func ensureLookupIndexes() throws {
        let all = collections
        try pool.write { db in for c in all { try Self.createLookupIndexes(db, c) } }
    }
}
