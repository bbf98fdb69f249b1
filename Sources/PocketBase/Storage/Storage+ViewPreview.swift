import Foundation
import GRDB

extension Storage {
    /// The fields a view collection with this query would get, without keeping anything: the collection create path
    /// (decode, validation, CREATE VIEW, field inference) inside a savepoint that always rolls back. Errors are the
    /// create's 400 with the reason on `viewQuery`.
    public func previewViewFields(query: String) async throws -> [JSONValue] {
        let failure = "Failed to create collection."
        let name = "_preview_" + Identifiers.random(10)
        let json = JSONValue.obj(["name": .string(name), "type": .string("view"), "viewQuery": .string(query)])
        let c: CollectionModel
        do {
            c = try CollectionDecoder.decode(json, existing: nil, now: PBDate.now(), lookup: collection)
        } catch {
            throw APIError.badRequest("Failed to load the submitted data due to invalid formatting.")
        }
        let errors = Self.collectionErrors(c, typeName: "view", existing: nil, all: collections).filter { $0.key != "name" }
        if !errors.isEmpty { throw APIError.badRequest(failure, errors.json) }
        do {
            try await write { db in
                try db.inSavepoint {
                    try Self.saveCollection(db, c, old: nil)
                    return .rollback
                }
            }
        } catch {
            throw APIError.badRequest(failure, ["viewQuery": FieldError("validation_invalid_view_query", "Invalid query - \(error)")].json)
        }
        return c.fields.map { .object($0.raw) }
    }
}
