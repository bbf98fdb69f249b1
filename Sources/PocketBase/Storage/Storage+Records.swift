import Foundation
import GRDB

extension Storage {
    /// Async only: a synchronous GRDB read in async code blocks a thread of Swift's small concurrency pool while it
    /// waits for a reader, and enough of them at once deadlock the server. Inside a batch, on its transaction.
    public func findRecord(_ c: CollectionModel, id: String) async throws -> Record? {
        try await readStatement { db in try Self.findRecord(db, c, id: id) }
    }

    static func findRecord(_ db: Database, _ c: CollectionModel, id: String) throws -> Record? {
        // A prepared statement per collection (a bounded set of texts), reused on every lookup.
        let table = SQLQuote.ident(c.name)
        let statement = try db.cachedStatement(
            sql: "SELECT \(RecordQuery.columns(c, table: table)) FROM \(table) WHERE \(RecordQuery.idColumn(c, table: table)) = ? LIMIT 1")
        return try Row.fetchOne(statement, arguments: [id]).map { Record(collection: c, row: $0) }
    }

    static func relationIDsExist(_ db: Database, collection: CollectionModel?, ids: [String]) throws -> Bool {
        guard let collection else { return false }
        let unique = Array(Set(ids))
        let placeholders = unique.map { _ in "?" }.joined(separator: ",")
        let count = try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM \(SQLQuote.ident(collection.name)) WHERE id IN (\(placeholders))",
            arguments: StatementArguments(unique)) ?? 0
        return count == unique.count
    }

    static func insert(_ db: Database, _ r: Record) throws {
        let fields = r.collection.fields
        let cols = fields.map { SQLQuote.ident($0.name) }.joined(separator: ", ")
        let qs = fields.map { _ in "?" }.joined(separator: ", ")
        let args = StatementArguments(fields.map { Record.toDatabase(r[$0.name], field: $0) })
        try db.execute(sql: "INSERT INTO \(SQLQuote.ident(r.collection.name)) (\(cols)) VALUES (\(qs))", arguments: args)
    }

    /// Writes changed columns; `deltas` are applied in SQL (`col = col + ?`) so concurrent increments never lose updates.
    static func update(_ db: Database, _ r: Record, original: Record, deltas: [String: Double]) throws {
        var sets: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        for f in r.collection.fields where f.name != "id" {
            if let d = deltas[f.name] {
                sets.append("\(SQLQuote.ident(f.name)) = \(SQLQuote.ident(f.name)) + ?")
                args.append(d)
            } else if r[f.name] != original[f.name] || f.type == .autodate {
                sets.append("\(SQLQuote.ident(f.name)) = ?")
                args.append(Record.toDatabase(r[f.name], field: f))
            }
        }
        guard !sets.isEmpty else { return }
        args.append(original.id)
        try db.execute(
            sql: "UPDATE \(SQLQuote.ident(r.collection.name)) SET \(sets.joined(separator: ", ")) WHERE id = ?",
            arguments: StatementArguments(args))
    }

    /// Relation fields (in any collection) pointing at `c`.
    func references(to c: CollectionModel) -> [(CollectionModel, Field)] {
        collections.filter { !$0.isView }.flatMap { other in
            other.fields.filter { $0.type == .relation && $0.string("collectionId") == c.id }.map { (other, $0) }
        }
    }

    struct RequiredReference: Error {}

    /// Deletes a record like PocketBase: cascades, unsets optional references, refuses required ones.
    func delete(_ db: Database, _ r: Record, depth: Int = 0) throws -> [Record] {
        guard depth < 50 else { return [] }
        var deleted = [r]
        for (other, f) in references(to: r.collection) {
            let table = SQLQuote.ident(other.name), col = SQLQuote.ident(f.name)
            let sql = f.isMultiple
                ? "SELECT * FROM \(table) WHERE EXISTS (SELECT 1 FROM json_each(\(table).\(col)) WHERE json_each.value = ?)"
                : "SELECT * FROM \(table) WHERE \(col) = ?"
            let rows = try Row.fetchAll(db, sql: sql, arguments: [r.id]).map { Record(collection: other, row: $0) }
            for ref in rows where !(other.id == r.collection.id && ref.id == r.id) {
                if f.bool("cascadeDelete") {
                    deleted += try delete(db, ref, depth: depth + 1)
                } else if f.required && (!f.isMultiple || Coerce.list(ref[f.name]).count <= 1) {
                    throw RequiredReference()
                } else {
                    var updated = ref
                    if f.isMultiple {
                        updated[f.name] = .array(Coerce.list(ref[f.name]).filter { $0 != r.id }.map(JSONValue.string))
                    } else {
                        updated[f.name] = .string("")
                    }
                    try Self.update(db, updated, original: ref, deltas: [:])
                    if let fresh = try Self.findRecord(db, other, id: ref.id) { realtime.recordSaved(db, record: fresh, action: .update, storage: self) }
                }
            }
        }
        realtime.prepareDelete(db, record: r, storage: self)
        try db.execute(sql: "DELETE FROM \(SQLQuote.ident(r.collection.name)) WHERE id = ?", arguments: [r.id])
        return deleted
    }

    /// Maps a SQLite UNIQUE failure to `validation_not_unique` like PocketBase's `NormalizeUniqueIndexError`:
    /// a plain substring test of `table.field` against the message, so `random_short.id` also matches
    /// `random_short.id_url` (PocketBase reports both keys).
    static func uniqueErrors(_ error: any Error, collection c: CollectionModel) -> [String: FieldError]? {
        guard let e = error as? DatabaseError, e.resultCode == .SQLITE_CONSTRAINT, let msg = e.message?.lowercased(),
            msg.contains("unique")
        else { return nil }
        var out: [String: FieldError] = [:]
        for f in c.fields where msg.contains((c.name + "." + f.name).lowercased()) { out[f.name] = .notUnique }
        return out.isEmpty ? nil : out
    }
}
