import Foundation
import GRDB

/// `pocketbase serve`'s automigrate: a collection created, changed or deleted through the API leaves a migration
/// file in PocketBase 0.23's template (`{unix}_created_{name}.js`, `_updated_`, `_deleted_`) and its `_migrations`
/// row, so the change replays on another database and is not applied again here.
public struct Automigrate: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// Writes the file for a change (nothing when an update changed nothing a migration records).
    func collectionChanged(new: CollectionModel?, old: CollectionModel?, storage: Storage) async throws {
        // Named after the new collection when created, the old one otherwise (a rename keeps the old name).
        let action: String
        let collection: String
        let template: String?
        switch (new, old) {
        case (let n?, nil): (action, collection, template) = ("created", n.name, MigrationTemplates.created(n))
        case (nil, let o?): (action, collection, template) = ("deleted", o.name, MigrationTemplates.deleted(o))
        case (let n?, let o?): (action, collection, template) = ("updated", o.name, MigrationTemplates.updated(new: n, old: o))
        case (nil, nil): return
        }
        guard let template else { return }
        let directory = self.directory
        try await storage.write { db in
            // Two changes of one collection within a second would get the same `{unix}_…` name (PocketBase then
            // overwrites the first file, losing that change): the next free second keeps both, in order.
            var date = Date()
            var name = MigrationTemplates.automigrateFileName(action: action, collection: collection, at: date)
            for _ in 0..<3600 {
                let taken = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM _migrations WHERE file = ?)", arguments: [name]) ?? false
                guard taken || FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) else { break }
                date = date.addingTimeInterval(1)
                name = MigrationTemplates.automigrateFileName(action: action, collection: collection, at: date)
            }
            // Microseconds: several changes within a second keep their order.
            try Storage.recordMigration(db, name, appliedMicros: Storage.nowMicros())
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(template.utf8).write(to: directory.appendingPathComponent(name))
        }
    }
}
