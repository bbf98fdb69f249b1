import Foundation
import GRDB

/// What a migration does to the engine, on the one write transaction its file runs in: find, save, delete and
/// import collections with the API's decoding and validation.
final class MigrationSession {
    let db: Database
    let now: String

    init(db: Database, now: String = PBDate.now()) {
        self.db = db
        self.now = now
    }

    func collections() throws -> [CollectionModel] { try Storage.loadCollections(db) }

    /// By id, else by name case-insensitively (`findCollectionByNameOrId`).
    func find(_ key: String) throws -> CollectionModel? {
        let all = try collections()
        return all.first { $0.id == key } ?? all.first { $0.name.lowercased() == key.lowercased() }
    }

    /// `app.save(collection)`: decoded over the stored one with the same id, validated, written.
    func save(_ json: JSONObject, line: Int) throws {
        let all = try collections()
        let existing = json["id"]?.stringValue.flatMap { id in all.first { $0.id == id } }
        let c: CollectionModel
        do {
            c = try CollectionDecoder.decode(.object(json), existing: existing, now: now, lookup: { key in
                all.first { $0.id == key } ?? all.first { $0.name.lowercased() == key.lowercased() }
            })
        } catch {
            throw JSSubset.Failure("invalid collection data for \(json["name"]?.stringValue ?? "?")", line: line)
        }
        let typeName = json["type"]?.stringValue ?? existing?.type.rawValue ?? "base"
        let errors = Storage.collectionErrors(c, typeName: typeName, existing: existing, all: all)
        guard errors.isEmpty else {
            throw JSSubset.Failure("failed to save collection \(c.name.debugDescription): \(JSONValue.object(errors.json).encoded())", line: line)
        }
        do {
            try Storage.saveCollection(db, c, old: existing)
        } catch {
            throw JSSubset.Failure("failed to save collection \(c.name.debugDescription): \(error)", line: line)
        }
    }

    func delete(id: String, line: Int) throws {
        guard let c = try find(id) else { throw JSSubset.Failure("sql: no rows in result set (collection \(id))", line: line) }
        guard !c.system else { throw JSSubset.Failure("system collection \(c.name) cannot be deleted", line: line) }
        try Storage.deleteCollection(db, c)
    }

    func importCollections(_ list: [JSONValue], deleteMissing: Bool, line: Int) throws {
        do {
            try Storage.importCollections(db, list, deleteMissing: deleteMissing, now: now)
        } catch let e as ImportError {
            throw JSSubset.Failure("failed to import collections: \(e.reason)", line: line)
        }
    }
}
