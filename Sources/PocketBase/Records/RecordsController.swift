import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt

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
    func collection(_ context: AppRequestContext, writing: Bool = false) throws -> Collection {
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
        let (records, total) = try await storage.read { db in
            (try Storage.fetch(db, c, select), try count.map { try Storage.count(db, $0) })
        }
        guard records.allSatisfy(\.marshalable) else { return .unencodableJSON() }
        let items = try await enrich(records, request: request, context: context)
        return respond(q.envelope(items: items, total: total), request)
    }

    @Sendable func view(_ request: Request, context: AppRequestContext) async throws -> Response {
        let c = try collection(context)
        let viewRule = try rule(c.viewRule, context)
        guard let id = context.parameters.get("id"), !id.isEmpty else { throw APIError.notFound() }
        let sql = try? storage.ruleQuery(c, id: id, rule: viewRule, request: RequestInfo(request, context: context))
        guard let sql, let record = try await storage.read({ db in try Storage.fetch(db, c, sql).first }) else {
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
            let record = try await createRecord(upsert, body: body, request: request, context: context)
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

    /// The create pipeline (also used by the OAuth2 sign-up, whose context says "oauth2" and which triggers no
    /// create-request hooks in PocketBase).
    func createRecord(_ c: Collection, body: ParsedBody, request: Request, context: AppRequestContext) async throws -> Record {
        var upsert = RecordUpsert(collection: c, original: nil, superuser: context.isSuperuser)
        upsert.load(body)
        return try await createRecord(upsert, body: body, request: request, context: context)
    }

    func createRecord(_ upsert: RecordUpsert, body: ParsedBody, request: Request, context: AppRequestContext) async throws -> Record {
        let c = upsert.record.collection
        let createRule = try rule(c.createRule, context)
        var upsert = upsert
        // 0.23 grants manager access for the dry submit and keeps it when the manageRule passes on the dry-saved
        // record: such a caller may set `verified` on create.
        let manageRule = c.options["manageRule"]?.stringValue ?? ""
        let mayManage = !context.isSuperuser && c.isAuth && context.auth != nil && !manageRule.isEmpty
        let wantsVerified = upsert.record["verified"].boolValue == true
        try prepareAuth(&upsert, body: body, manager: context.isSuperuser || mayManage)
        upsert.prepareForSave(now: PBDate.now())
        // Non-superusers go through 0.23's dry submit: insert unvalidated, re-select with the create rule, roll back.
        var dryRun: DryRun?
        if !context.isSuperuser {
            let info = RequestInfo(request, context: context, body: upsert.bodyForRules(body))
            let storage = self.storage
            let createQuery: @Sendable (String) throws -> SQLFragment = { id in try storage.ruleQuery(c, id: id, rule: createRule, request: info) }
            var manageQuery: (@Sendable (String) throws -> SQLFragment)? = nil
            if mayManage && wantsVerified {
                manageQuery = { id in try storage.ruleQuery(c, id: id, rule: manageRule, request: info) }
            }
            dryRun = DryRun(query: createQuery, manageQuery: manageQuery)
        }
        return try await save(upsert, failure: "Failed to create record.", dryRun: dryRun)
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
            var upsert = upsert
            let manager = try await hasManageAccess(c, id: id, request: request, context: context)
            try prepareAuth(&upsert, body: body, manager: manager)
            upsert.prepareForSave(now: PBDate.now())
            let record = try await save(upsert, failure: "Failed to update record.")
            guard record.marshalable else { return .unencodableJSON() }
        return respond(try await enrich([record], request: request, context: context)[0], request)
        }
    }

    /// Superusers, or an auth caller satisfying the collection's manageRule (evaluated on the target record):
    /// they may change `email`/`verified`/`password` without the owner's old password.
    func hasManageAccess(_ c: Collection, id: String, request: Request, context: AppRequestContext) async throws -> Bool {
        if context.isSuperuser { return true }
        guard c.isAuth, context.auth != nil, let rule = c.options["manageRule"]?.stringValue, !rule.isEmpty else { return false }
        guard let sql = try? storage.ruleQuery(c, id: id, rule: rule, request: RequestInfo(request, context: context)) else { return false }
        return try await storage.read { db in try Storage.fetch(db, c, sql).first } != nil
    }

    /// 32 MiB plus each file/json/editor field's own maximum (PocketBase's per-collection limit).
    func bodyLimit(_ c: Collection) -> Int {
        c.fields.reduce(BodyParser.defaultLimit) { total, f in
            switch f.type {
            // Options are clamped, not validated for size: sums and products saturate instead of trapping.
            case "file": total.saturatingAdd((f.int("maxSize") > 0 ? f.int("maxSize") : 5 << 20).saturatingMultiplied(by: max(f.int("maxSelect"), 1)))
            case "json", "editor": total.saturatingAdd(f.int("maxSize") > 0 ? f.int("maxSize") : 5 << 20)
            default: total
            }
        }
    }

    /// Auth-collection form rules: password + confirmation, old password for non-superusers, tokenKey rotation.
    func prepareAuth(_ upsert: inout RecordUpsert, body: ParsedBody, manager superuser: Bool) throws {
        guard upsert.record.collection.isAuth else { return }
        var errors: [String: FieldError] = [:]
        // Without manager access (superusers; manageRule is evaluated by a later issue) `verified` can't be set
        // and `email` can't be changed (the hidden-field filter may already have dropped them).
        if !superuser {
            if upsert.isNew, upsert.record["verified"].boolValue == true {
                errors["verified"] = FieldError("validation_values_mismatch", "Values don't match.")
            }
            if let original = upsert.original {
                if upsert.record.string("email") != original.string("email") {
                    errors["email"] = FieldError("validation_values_mismatch", "Values don't match.")
                }
                if upsert.record["verified"] != original["verified"] {
                    errors["verified"] = FieldError("validation_values_mismatch", "Values don't match.")
                }
            }
        }
        let password = body.values["password"].map(Coerce.toString) ?? ""
        let confirm = body.values["passwordConfirm"].map(Coerce.toString) ?? ""
        if upsert.isNew || !password.isEmpty {
            if upsert.isNew && password.isEmpty { errors["password"] = .required }
            if confirm.isEmpty && (upsert.isNew || !password.isEmpty) {
                errors["passwordConfirm"] = .required
            } else if password != confirm {
                errors["passwordConfirm"] = FieldError("validation_values_mismatch", "Values don't match.")
            }
            if !upsert.isNew, !superuser, !password.isEmpty {
                let old = body.values["oldPassword"].map(Coerce.toString) ?? ""
                if old.isEmpty {
                    errors["oldPassword"] = .required
                } else if !Bcrypt.verify(old, hash: upsert.original?.string("password") ?? "") {
                    errors["oldPassword"] = FieldError("validation_invalid_old_password", "Missing or invalid old password.")
                }
            }
        }
        if !errors.isEmpty {
            throw APIError.badRequest(upsert.isNew ? "Failed to create record." : "Failed to update record.", errors.json)
        }
        if !password.isEmpty {
            // The password field's own rules (min/max/pattern) are record validation in PocketBase: reported together
            // with the other fields' errors, not alone.
            if let f = upsert.record.collection.field("password"),
                let e = try RecordValidator(relationExists: { _, _ in true }).validate(field: f, value: .string(password), record: upsert.record, isNew: upsert.isNew)
            {
                upsert.errors["password"] = e
            }
            upsert.record["password"] = .string(upsert.record.collection.passwordHash(password))
            upsert.record["tokenKey"] = .string(Identifiers.tokenKey())
        }
        if upsert.isNew && upsert.record.string("tokenKey").isEmpty {
            upsert.record["tokenKey"] = .string(Identifiers.tokenKey())
        }
    }

    /// The create rule check of a non-superuser create.
    struct DryRun: Sendable {
        let query: @Sendable (String) throws -> SQLFragment
        /// A possible manager setting `verified`: the manageRule must pass on the dry-saved record too.
        var manageQuery: (@Sendable (String) throws -> SQLFragment)? = nil
    }

    /// Validates and writes in one transaction; files are written after the commit.
    func save(_ upsert: RecordUpsert, failure: String, dryRun: DryRun? = nil) async throws -> Record {
        var upsert = upsert
        if upsert.isNew && upsert.record.id.isEmpty { upsert.record["id"] = .string(Identifiers.recordID()) }
        let storage = self.storage
        let snapshot = upsert
        let saved: Record = try await storage.write { db in
            var errors = snapshot.errors
            let validator = RecordValidator(relationExists: { collectionID, ids in
                try Storage.relationIDsExist(db, collection: storage.collection(collectionID), ids: ids)
            })
            var record = snapshot.record
            if let dryRun { try Self.dryRun(db, record, dryRun, failure: failure) }
            if let original = snapshot.original, !snapshot.deltas.isEmpty {
                // Re-read inside the write transaction so modifiers see the latest committed value.
                if let fresh = try Storage.findRecord(db, record.collection, id: original.id) {
                    for (name, delta) in snapshot.deltas { record[name] = .number((fresh[name].numberValue ?? 0) + delta) }
                }
            }
            for (k, v) in snapshot.fileErrors() where errors[k] == nil { errors[k] = v }
            for (k, v) in try validator.validate(record, isNew: snapshot.isNew) where errors[k] == nil { errors[k] = v }
            if !errors.isEmpty { throw APIError.badRequest(failure, errors.json) }
            do {
                if let original = snapshot.original {
                    try Storage.update(db, record, original: original, deltas: snapshot.deltas)
                } else {
                    try Storage.insert(db, record)
                }
            } catch {
                if let unique = Storage.uniqueErrors(error, collection: record.collection) {
                    throw APIError.badRequest(failure, unique.json)
                }
                throw error
            }
            return try Storage.findRecord(db, record.collection, id: record.id) ?? record
        }
        try writeUploads(upsert, record: saved)
        return saved
    }

    /// Inserts without validation inside a savepoint (unique violations surface here, first), checks the rule,
    /// and always rolls back.
    static func dryRun(_ db: Database, _ record: Record, _ dryRun: DryRun, failure: String) throws {
        var probe = record
        if probe.collection.isAuth { probe["verified"] = false }
        var outcome: APIError?
        try db.inSavepoint {
            do {
                try Storage.insert(db, probe)
                let sql = try dryRun.query(probe.id)
                if try Storage.fetch(db, probe.collection, sql).isEmpty {
                    outcome = APIError.badRequest(failure)
                } else if let manage = dryRun.manageQuery, try Storage.fetch(db, probe.collection, try manage(probe.id)).isEmpty {
                    outcome = APIError.badRequest(failure, ["verified": FieldError("validation_values_mismatch", "Values don't match.")].json)
                }
            } catch let e as APIError {
                outcome = e
            } catch {
                if let unique = Storage.uniqueErrors(error, collection: probe.collection) {
                    outcome = APIError.badRequest(failure, unique.json)
                } else {
                    outcome = APIError.badRequest(failure)
                }
            }
            return .rollback
        }
        if let outcome { throw outcome }
    }

    func writeUploads(_ upsert: RecordUpsert, record: Record) throws {
        let dir = storage.storageDir.appendingPathComponent(record.collection.id).appendingPathComponent(record.id)
        if !upsert.uploads.isEmpty { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
        for u in upsert.uploads { try Data(u.data).write(to: dir.appendingPathComponent(u.name)) }
        // Files no longer referenced by any file field are removed, like PocketBase does after a save.
        guard let original = upsert.original else { return }
        for f in record.collection.fields where f.type == "file" {
            let now = Set(Coerce.list(record[f.name]))
            for old in Coerce.list(original[f.name]) where !now.contains(old) {
                try? FileManager.default.removeItem(at: dir.appendingPathComponent(old))
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
            try? FileManager.default.removeItem(
                at: storage.storageDir.appendingPathComponent(d.collection.id).appendingPathComponent(d.id))
        }
        return .noContent()
    }
}

extension Storage {
    /// Creates a record with superuser rights outside HTTP (CLI, fixtures): same coercion, auth form and validation.
    public func createRecordAsSuperuser(_ collection: String, values: JSONObject) async throws -> Record {
        guard let c = self.collection(collection) else { throw APIError.notFound("Missing collection context.") }
        let controller = RecordsController(storage: self)
        var upsert = RecordUpsert(collection: c, original: nil, superuser: true)
        let body = ParsedBody(values: values)
        upsert.load(body)
        try controller.prepareAuth(&upsert, body: body, manager: true)
        upsert.prepareForSave(now: PBDate.now())
        return try await controller.save(upsert, failure: "Failed to create record.")
    }

    /// Saves changed values of a stored record with superuser rights (hooks, CLI): validated, `updated` bumped.
    public func updateRecordAsSuperuser(_ record: Record, values: JSONObject) async throws -> Record {
        let controller = RecordsController(storage: self)
        var upsert = RecordUpsert(collection: record.collection, original: record, superuser: true)
        let body = ParsedBody(values: values)
        upsert.load(body)
        try controller.prepareAuth(&upsert, body: body, manager: true)
        upsert.prepareForSave(now: PBDate.now())
        return try await controller.save(upsert, failure: "Failed to update record.")
    }
}
