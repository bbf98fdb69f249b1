import Foundation
import GRDB
import HTTPTypes
import Hummingbird

/// `/api/collections/{collection}/records[/{id}]`.
struct RecordsController {
    let storage: Storage
    var hooks = Hooks()

    func register(on router: Router<AppRequestContext>) {
        let group = router.group("api/collections/:collection/records")
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: view)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
    }

    /// Create/update resolve the collection in PocketBase's rate-limit middleware, which words the 404 differently;
    /// a batch calls the handlers without the middleware, so its sub-requests get the handlers' wording.
    func collection(_ context: AppRequestContext, writing: Bool = false) throws -> CollectionModel {
        guard let name = context.parameters.get("collection"), let c = storage.collection(name) else {
            throw APIError.notFound(writing && context.infoContext == nil ? "Missing or invalid collection context." : "Missing collection context.")
        }
        return c
    }

    /// `null` → superusers only (403). Returns the rule a non-superuser must satisfy ("" = none).
    func rule(_ rule: String?, _ context: AppRequestContext) throws -> String {
        if context.isSuperuser { return "" }
        guard let rule else { throw APIError.superusersOnly }
        return rule
    }

    func respond(_ value: JSONValue, _ request: Request, status: HTTPResponse.Status = .ok) -> Response {
        let fields = request.uri.queryParams["fields"]
        if case .object(let o) = value, o["items"] != nil {
            return FieldsProjection.respondList(o, fields: fields, status: status)
        }
        return FieldsProjection.respond(value, fields: fields, status: status)
    }

    func export(_ r: Record, _ context: AppRequestContext) -> JSONValue {
        .object(r.export(superuser: context.isSuperuser, requesterID: context.auth?.id))
    }

    // MARK: list / view

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try collection(context)
        let listRule = try rule(c.listRule, context)
        let q = try ListQuery(request.uri, superuser: context.isSuperuser)
        var query = RecordQuery(c, storage: storage, request: RequestInfo(request, context: context), allowHidden: context.isSuperuser)
        do {
            if !listRule.isEmpty { try query.addFilter(listRule) }
            if !q.filter.isEmpty { try query.addFilter(q.filter) }
            if !q.sort.isEmpty { try query.addSort(q.sort) }
        } catch {
            throw APIError.badRequest()
        }
        let select = query.select(limit: q.perPage, offset: q.offset)
        let count = q.skipTotal ? nil : query.count()
        let fetch: @Sendable (Database) throws -> ([Record], Int?) = { db in
            (try Storage.fetch(db, c, select), try count.map { try Storage.count(db, $0) })
        }
        let (records, total): ([Record], Int?)
        let statements = [select.sql] + (count.map { [$0.sql] } ?? [])
        let cache = storage.resultCache
        let params = request.uri.queryParams
        let fields = params["fields"]
        var bodyKey: String?
        let stamp = cache.stamp
        if query.isDeterministic(volatileViews: storage.volatileViews) {
            // Exact: reused only while no table the statements read has changed (see ResultCache).
            let key = "list\u{0}" + c.id + "\u{0}" + select.cacheKey + "\u{0}" + (count?.cacheKey ?? "")
            // The answer itself, when it is a function of the rows and the superuser flag alone: not for auth
            // records (email visibility depends on the caller) nor expands (other collections' rules).
            if !c.isAuth, (params["expand"] ?? "").isEmpty, Storage.currentTransaction == nil {
                // The envelope's page is not in the SQL (a huge page wraps to offset 0 like page 1).
                bodyKey = "body\u{0}" + key + "\u{0}\(q.page)\u{0}\(q.perPage)\u{0}" + (context.isSuperuser ? "s" : "-") + (fields.map { "\u{0}" + $0 } ?? "")
                if let bodyKey, let body = cache.lookup(bodyKey, as: FieldsProjection.Body.self) { return body.response(status: .ok) }
            }
            (records, total) = try await storage.cachedRead(key: key, sql: statements, cost: { $0.0.count + 1 }, fetch)
        } else {
            (records, total) = try await storage.read(fetch)
        }
        guard records.allSatisfy(\.marshalable) else { return .unencodableJSON() }
        let items = try await enrich(records, request: request, context: context)
        let body = FieldsProjection.listBody(q.envelope(items: items, total: total), fields: fields)
        // Stamped before the rows were read: a write since then makes `store` refuse it.
        if let bodyKey, let tables = cache.tables(of: statements) { cache.store(bodyKey, value: body, tables: tables, stamp: stamp, cost: 1) }
        return body.response(status: .ok)
    }

    @Sendable func view(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try collection(context)
        let viewRule = try rule(c.viewRule, context)
        guard let id = context.parameters.get("id"), !id.isEmpty else { throw APIError.notFound() }
        let sql = try? storage.ruleQuery(c, id: id, rule: viewRule, request: RequestInfo(request, context: context))
        // Without a rule the statement's text depends on the collection alone: prepared once per connection.
        let prepared = viewRule.isEmpty
        guard let sql, let record = try await storage.readStatement({ db in try (prepared ? Storage.fetchPrepared : Storage.fetch)(db, c, sql).first }) else {
            throw APIError.notFound()
        }
        guard record.marshalable else { return .unencodableJSON() }
        return respond(try await enrich([record], request: request, context: context)[0], request)
    }

    /// Exports records for the caller (expand and hidden/email rules).
    func enrich(_ records: [Record], request: Request, context: AppRequestContext) async throws -> [JSONValue] {
        let expand = request.uri.queryParams["expand"] ?? ""
        let expanded = expand.isEmpty ? nil : try await Expander(storage: storage, request: request, context: context).expand(records, paths: expand)
        // PocketBase's autoResolveRecordsFlags: a caller with manage access to an auth record sees its email.
        let managed = try await storage.emailVisibleIDs(records, info: RequestInfo(request, context: context))
        return records.enumerated().map { i, r in
            .object(r.export(superuser: context.isSuperuser, requesterID: context.auth?.id, expand: expanded?[i], showEmail: managed.contains(r.id)))
        }
    }

    // MARK: create / update

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try collection(context, writing: true)
        if c.isView { throw APIError.badRequest("Unsupported collection type.") }
        // PocketBase reads the body (RequestInfo) before it checks a null create rule: a bad body is 400 first.
        let body = try await BodyParser.parse(request, limit: bodyLimit(c))
        _ = try rule(c.createRule, context)
        var upsert = RecordUpsert(collection: c, original: nil, superuser: context.isSuperuser)
        upsert.load(body)
        let info = RequestInfo(request, context: context, body: upsert.bodyForRules(body))
        return try await trigger(hooks.onRecordCreateRequest, upsert, info: info, request: request, context: context) { upsert in
            // The rule is evaluated on what the hooks pass on (the null check above only gates the hooks).
            let info = RequestInfo(request, context: context, body: upsert.bodyForRules(body))
            let record = try await storage.createRecord(upsert, body: body, info: info, superuser: context.isSuperuser)
            guard record.marshalable else { return .unencodableJSON() }
            return respond(try await enrich([record], request: request, context: context)[0], request)
        }
    }

    /// Runs a record-request hook over a loaded upsert: handlers see (and may change) the record, `final` saves
    /// what they pass on.
    func trigger(
        _ hook: Hook<RecordRequestEvent>, _ upsert: RecordUpsert, info: RequestInfo, request: Request, context: AppRequestContext,
        final: @escaping @Sendable (RecordUpsert) async throws -> Response
    ) async throws -> Response {
        let c = upsert.record.collection
        let event = RecordRequestEvent(
            request: request, context: context, storage: storage, collection: c, record: upsert.record, original: upsert.original,
            requestInfo: info)
        return try await hook.trigger(event, collection: c) { e in
            var upsert = upsert
            upsert.record = e.record
            return try await final(upsert)
        }
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try collection(context, writing: true)
        if c.isView { throw APIError.badRequest("Unsupported collection type.") }
        let updateRule = try rule(c.updateRule, context)
        guard let id = context.parameters.get("id"), !id.isEmpty, let original = try await storage.findRecord(c, id: id) else {
            throw APIError.notFound()
        }
        let body = try await BodyParser.parse(request, limit: bodyLimit(c))
        var upsert = RecordUpsert(collection: c, original: original, superuser: context.isSuperuser)
        upsert.load(body)
        // The rule and the hooks see the stored record and the submitted values after modifier resolution.
        let info = RequestInfo(request, context: context, body: upsert.bodyForRules(body))
        if !updateRule.isEmpty {
            let sql = try? storage.ruleQuery(c, id: id, rule: updateRule, request: info)
            guard let sql, try await storage.read({ db in try Storage.fetch(db, c, sql).first }) != nil else {
                throw APIError.notFound()
            }
        }
        return try await trigger(hooks.onRecordUpdateRequest, upsert, info: info, request: request, context: context) { upsert in
            let manager = try await hasManageAccess(c, id: id, request: request, context: context)
            let record = try await storage.updateRecord(upsert, body: body, manager: manager)
            guard record.marshalable else { return .unencodableJSON() }
            return respond(try await enrich([record], request: request, context: context)[0], request)
        }
    }

    /// Superusers, or an auth caller satisfying the collection's manageRule (evaluated on the target record):
    /// they may change `email`/`verified`/`password` without the owner's old password.
    func hasManageAccess(_ c: CollectionModel, id: String, request: Request, context: AppRequestContext) async throws -> Bool {
        if context.isSuperuser { return true }
        guard c.isAuth, context.auth != nil, let rule = c.manageRule, !rule.isEmpty else { return false }
        guard let sql = try? storage.ruleQuery(c, id: id, rule: rule, request: RequestInfo(request, context: context)) else { return false }
        return try await storage.read { db in try Storage.fetch(db, c, sql).first } != nil
    }

    /// 32 MiB plus each file/json/editor field's own maximum (PocketBase's per-collection limit).
    func bodyLimit(_ c: CollectionModel) -> Int {
        c.fields.reduce(BodyParser.defaultLimit) { total, f in
            switch f.type {
            // Options are clamped, not validated for size: sums and products saturate instead of trapping.
            case .file: total.saturatingAdd((f.int("maxSize") > 0 ? f.int("maxSize") : 5 << 20).saturatingMultiplied(by: max(f.int("maxSelect"), 1)))
            case .json, .editor: total.saturatingAdd(f.int("maxSize") > 0 ? f.int("maxSize") : 5 << 20)
            default: total
            }
        }
    }

    // MARK: delete

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try collection(context)
        if c.isView { throw APIError.badRequest("Unsupported collection type.") }
        let deleteRule = try rule(c.deleteRule, context)
        guard let id = context.parameters.get("id"), !id.isEmpty,
            let sql = try? storage.ruleQuery(c, id: id, rule: deleteRule, request: RequestInfo(request, context: context)),
            let r = try await storage.read({ db in try Storage.fetch(db, c, sql).first })
        else { throw APIError.notFound() }
        let storage = self.storage
        let deleted: [Record]
        do {
            deleted = try await storage.write { db in try storage.delete(db, r) }
        } catch is Storage.RequiredReference {
            throw APIError.badRequest(
                "Failed to delete record. Make sure that the record is not part of a required relation reference.")
        }
        for d in deleted {
            try? await storage.fileStore().deleteAll(under: Storage.fileKey(d.collection.id, d.id))
        }
        return .noContent()
    }
}
