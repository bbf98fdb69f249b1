import Foundation
import GRDB

/// Why an import was refused (PocketBase words it into `validation_collections_import_failure`).
struct ImportError: Error { var reason: String }

extension Storage {
    /// PocketBase's import: match by id (else name), views last, optionally delete what's missing. All or nothing.
    public func importCollections(_ list: [JSONValue], deleteMissing: Bool) async throws {
        let now = PBDate.now()
        try await pool.write { db in try Self.importCollections(db, list, deleteMissing: deleteMissing, now: now) }
        try await reloadCollections()
    }

    /// The import on an open transaction (the API's and a migration's `app.importCollections`).
    static func importCollections(_ db: Database, _ list: [JSONValue], deleteMissing: Bool, now: String) throws {
        for item in list {
            guard let o = item.objectValue, let fields = o["fields"]?.arrayValue ?? .some([]) else {
                throw ImportError(reason: "invalid collection item")
            }
            for f in fields where !Field.knownTypes.contains(f["type"]?.stringValue ?? "") {
                throw ImportError(reason: "missing or unknown field type in \(Self.compactFieldJSON(f)).")
            }
        }
        let ordered = list.filter { $0["type"]?.stringValue != "view" } + list.filter { $0["type"]?.stringValue == "view" }
        do {
            var current = try Self.loadCollections(db)
            func lookup(_ key: String) -> CollectionModel? {
                current.first { $0.id == key } ?? current.first { $0.name.lowercased() == key.lowercased() }
            }
            var importedIDs = Set<String>()
            for item in ordered {
                guard let o = item.objectValue else { continue }  // checked above
                let existing = (o["id"]?.stringValue).flatMap { id in current.first { $0.id == id } }
                    ?? (o["name"]?.stringValue).flatMap { n in current.first { $0.name == n } }
                var json = o
                if let existing {
                    json["id"] = .string(existing.id)
                    if !deleteMissing, var newFields = json["fields"]?.arrayValue {
                        // Without deleteMissing, existing fields absent from the payload are kept.
                        let names = Set(newFields.compactMap { $0["name"]?.stringValue })
                        newFields += existing.fields.filter { !names.contains($0.name) }.map { .object($0.raw) }
                        json["fields"] = .array(newFields)
                    }
                }
                var c: CollectionModel
                do {
                    c = try CollectionDecoder.decode(.object(json), existing: existing, now: now, lookup: lookup)
                } catch {
                    throw ImportError(reason: "invalid collection \(o["name"]?.stringValue ?? "")")
                }
                // PocketBase keeps the payload's `created` for collections it already has.
                if existing != nil, let created = o["created"]?.stringValue, !created.isEmpty { c.created = created }
                do { try Self.saveCollection(db, c, old: existing) } catch { throw ImportError(reason: "\(error)") }
                current.removeAll { $0.id == c.id }
                current.append(c)
                importedIDs.insert(c.id)
            }
            if deleteMissing {
                for c in current where !c.system && !importedIDs.contains(c.id) {
                    try Self.deleteCollection(db, c)
                }
            }
        }
    }

    static func compactFieldJSON(_ f: JSONValue) -> String {
        guard let o = f.objectValue else { return f.encoded() }
        return JSONValue.object(o).encoded()
    }
}
