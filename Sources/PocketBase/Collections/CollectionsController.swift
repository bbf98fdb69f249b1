import Foundation
import GRDB
import Hummingbird

/// `/api/collections…` — superusers only.
struct CollectionsController {
    let storage: Storage
    /// Where automigrate writes (nil: off).
    var automigrate: Automigrate? = nil

    func register(on router: Router<AppRequestContext>) {
        router.get("api/collections", use: list)
        router.post("api/collections", use: create)
        router.put("api/collections/import", use: importCollections)
        router.get("api/collections/meta/scaffolds", use: scaffolds)
        router.get("api/collections/:collection", use: view)
        router.patch("api/collections/:collection", use: update)
        router.delete("api/collections/:collection", use: delete)
        router.delete("api/collections/:collection/truncate", use: truncate)
    }

    func find(_ context: AppRequestContext) throws -> CollectionModel {
        try context.requireSuperuser()
        guard let name = context.parameters.get("collection"), let c = storage.collection(name) else { throw APIError.notFound() }
        return c
    }

    func respond(_ value: JSONValue, _ request: Request) -> Response {
        FieldsProjection.respond(value, fields: request.uri.queryParams["fields"])
    }

    /// `_collections` as a filterable pseudo collection (filter/sort fields: id, created, updated, name, system, type).
    static let metaCollection = CollectionModel(
        id: "_collections", name: "_collections", type: .base, system: true,
        fields: ["id", "created", "updated", "name", "type"].map { Field.make("text", $0) } + [Field.make("bool", "system")],
        indexes: [], options: JSONObject(), created: "", updated: "")

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        let q = try ListQuery(request.uri, superuser: true)
        var query = RecordQuery(Self.metaCollection, storage: storage, request: RequestInfo(request, context: context), allowHidden: true)
        do {
            if !q.filter.isEmpty { try query.addFilter(q.filter) }
            if !q.sort.isEmpty { try query.addSort(q.sort) }
        } catch { throw APIError.badRequest() }
        let select = query.select(limit: q.perPage, offset: q.offset)
        let count = q.skipTotal ? nil : query.count()
        let (ids, total) = try await storage.read { db in
            let ids = try Row.fetchAll(db, sql: select.sql, arguments: select.arguments).map { $0["id"] as String }
            return (ids, try count.map { try Storage.count(db, $0) })
        }
        let items = ids.compactMap { storage.collection($0)?.apiJSON() }
        let env = q.envelope(items: items, total: total)
        guard case .object(let o) = env else { return .json(env) }
        return FieldsProjection.respondList(o, fields: request.uri.queryParams["fields"])
    }

    /// The admin UI's default collection models (PocketBase's own output, shipped as data).
    @Sendable func scaffolds(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        return respond(.object(try BundledData.load("pb_scaffolds")), request)
    }

    @Sendable func view(_ request: Request, context: AppRequestContext) async throws -> Response {
        respond(try find(context).apiJSON(), request)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        let body = try await BodyParser.parse(request)
        let c = try await save(.object(body.values), existing: nil, failure: "Failed to create collection.")
        try await automigrate?.collectionChanged(new: storage.collection(c.id), old: nil, storage: storage)
        return respond(c.apiJSON(), request)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let existing = try find(context)
        let body = try await BodyParser.parse(request)
        let c = try await save(.object(body.values), existing: existing, failure: "Failed to update collection.")
        try await automigrate?.collectionChanged(new: storage.collection(c.id), old: existing, storage: storage)
        if existing.name != c.name { try await storage.renameRateLimitLabels(from: existing.name, to: c.name) }
        return respond(c.apiJSON(), request)
    }

    func save(_ json: JSONValue, existing: CollectionModel?, failure: String) async throws -> CollectionModel {
        let storage = self.storage
        let c: CollectionModel
        do {
            c = try CollectionDecoder.decode(json, existing: existing, now: PBDate.now(), lookup: storage.collection)
        } catch {
            throw APIError.badRequest("Failed to load the submitted data due to invalid formatting.")
        }
        let typeName = json["type"]?.stringValue ?? existing?.type.rawValue ?? "base"
        let errors = Storage.collectionErrors(c, typeName: typeName, existing: existing, all: storage.collections)
        if !errors.isEmpty { throw APIError.badRequest(failure, errors.json) }
        do {
            try await storage.write { db in try Storage.saveCollection(db, c, old: existing) }
        } catch {
            throw APIError.badRequest(failure, ["fields": FieldError("validation_invalid_schema", "\(error)")].json)
        }
        try await storage.reloadCollections()
        return c
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try find(context)
        if c.system { throw APIError.badRequest("Failed to delete collection.") }
        if let ref = storage.references(to: c).first(where: { $0.0.id != c.id }) {
            throw APIError.badRequest("Failed to delete collection probably due to existing reference in \(ref.0.name).")
        }
        try await storage.write { db in try Storage.deleteCollection(db, c) }
        try? await storage.fileStore().deleteAll(under: c.id)
        try await storage.reloadCollections()
        try await automigrate?.collectionChanged(new: nil, old: c, storage: storage)
        return .noContent()
    }

    @Sendable func truncate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try find(context)
        if c.isView { throw APIError.badRequest("View collections cannot be truncated since they don't store their own records.") }
        let storage = self.storage
        do {
            try await storage.write { db in
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(SQLQuote.ident(c.name))")
                for row in rows { _ = try storage.delete(db, Record(collection: c, row: row)) }
            }
        } catch is Storage.RequiredReference {
            throw APIError.badRequest("Failed to truncate collection (most likely due to required cascade delete record references).")
        }
        try? await storage.fileStore().deleteAll(under: c.id)
        return .noContent()
    }

    @Sendable func importCollections(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        let body = try await BodyParser.parse(request)
        guard let list = body.values["collections"]?.arrayValue, !list.isEmpty else {
            throw APIError.badRequest("An error occurred while validating the submitted data.", ["collections": .required].json)
        }
        let deleteMissing = body.values["deleteMissing"].map(Coerce.toBool) ?? false
        do {
            try await storage.importCollections(list, deleteMissing: deleteMissing)
        } catch let e as ImportError {
            throw APIError.badRequest("Failed to import collections.", [
                "collections": FieldError("validation_collections_import_failure", "Failed to import the collections configuration. Raw error:\n\(e.reason)")
            ].json)
        }
        return .noContent()
    }
}
