import Foundation
import GRDB

/// The record save pipeline (PocketBase's `forms.RecordUpsert` `DrySubmit`/`Submit` and `core.Save`): the one way a
/// record is created or updated — by the records API, batch, the OAuth2 sign-up, hooks, fixtures and the CLI.
extension Storage {
    /// The create rule check of a non-superuser create.
    struct DryRun: Sendable {
        let query: @Sendable (String) throws -> SQLFragment
        /// A possible manager setting `verified`: the manageRule must pass on the dry-saved record too.
        var manageQuery: (@Sendable (String) throws -> SQLFragment)? = nil
    }

    /// A create through the API: a `null` create rule is for superusers only; other callers go through 0.23's dry
    /// submit (insert unvalidated, re-select with the create rule, roll back). 0.23 grants manager access for the dry
    /// submit and keeps it when the manageRule passes on the dry-saved record: such a caller may set `verified`.
    /// `info` is the caller's request (its auth, and the body after modifier resolution).
    func createRecord(_ upsert: RecordUpsert, body: ParsedBody, info: RequestInfo, superuser: Bool) async throws -> Record {
        let c = upsert.record.collection
        guard superuser || c.createRule != nil else { throw APIError.superusersOnly }
        var upsert = upsert
        let manageRule = c.manageRule ?? ""
        let mayManage = !superuser && c.isAuth && info.auth != nil && !manageRule.isEmpty
        let wantsVerified = upsert.record["verified"].boolValue == true
        try upsert.applyAuthForm(body: body, manager: superuser || mayManage)
        upsert.prepareForSave(now: PBDate.now())
        var dryRun: DryRun?
        if !superuser {
            let createRule = c.createRule ?? ""
            let createQuery: @Sendable (String) throws -> SQLFragment = { [self] id in try ruleQuery(c, id: id, rule: createRule, request: info) }
            var manageQuery: (@Sendable (String) throws -> SQLFragment)? = nil
            if mayManage && wantsVerified {
                manageQuery = { [self] id in try ruleQuery(c, id: id, rule: manageRule, request: info) }
            }
            dryRun = DryRun(query: createQuery, manageQuery: manageQuery)
        }
        return try await save(upsert, dryRun: dryRun)
    }

    /// An update whose rule the caller has checked; `manager` is superuser or manageRule access on the record.
    func updateRecord(_ upsert: RecordUpsert, body: ParsedBody, manager: Bool) async throws -> Record {
        var upsert = upsert
        try upsert.applyAuthForm(body: body, manager: manager)
        upsert.prepareForSave(now: PBDate.now())
        return try await save(upsert)
    }

    /// Creates a record with superuser rights outside HTTP (CLI, fixtures): same coercion, auth form and validation.
    public func createRecordAsSuperuser(_ collection: String, values: JSONObject) async throws -> Record {
        guard let c = self.collection(collection) else { throw APIError.notFound("Missing collection context.") }
        var upsert = RecordUpsert(collection: c, original: nil, superuser: true)
        let body = ParsedBody(values: values)
        upsert.load(body)
        try upsert.applyAuthForm(body: body, manager: true)
        upsert.prepareForSave(now: PBDate.now())
        return try await save(upsert)
    }

    /// Saves changed values of a stored record with superuser rights (hooks, CLI): validated, `updated` bumped.
    public func updateRecordAsSuperuser(_ record: Record, values: JSONObject) async throws -> Record {
        var upsert = RecordUpsert(collection: record.collection, original: record, superuser: true)
        let body = ParsedBody(values: values)
        upsert.load(body)
        return try await updateRecord(upsert, body: body, manager: true)
    }

    /// Validates and writes in one transaction; files are written after the commit.
    func save(_ upsert: RecordUpsert, dryRun: DryRun? = nil) async throws -> Record {
        var upsert = upsert
        if upsert.isNew && upsert.record.id.isEmpty { upsert.record["id"] = .string(Identifiers.recordID()) }
        let failure = upsert.failureMessage
        let snapshot = upsert
        let saved: Record = try await write { [self] db in
            var errors = snapshot.errors
            let validator = RecordValidator(relationExists: { collectionID, ids in
                try Storage.relationIDsExist(db, collection: self.collection(collectionID), ids: ids)
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
                    try Storage.deleteInstallerSuperuser(db, created: record)
                }
            } catch {
                if let unique = Storage.uniqueErrors(error, collection: record.collection) {
                    throw APIError.badRequest(failure, unique.json)
                }
                throw error
            }
            let saved = try Storage.findRecord(db, record.collection, id: record.id) ?? record
            self.realtime.recordSaved(db, record: saved, action: snapshot.isNew ? .create : .update, storage: self)
            return saved
        }
        try await writeUploads(upsert, record: saved)
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

    func writeUploads(_ upsert: RecordUpsert, record: Record) async throws {
        let store = fileStore()
        for u in upsert.uploads {
            try await store.write(
                Self.fileKey(record.collection.id, record.id, u.name), u.data, contentType: MimeSniffer.contentType(u.data, filename: u.name))
        }
        // Files no longer referenced by any file field are removed, like PocketBase does after a save.
        guard let original = upsert.original else { return }
        for f in record.collection.fields where f.type == .file {
            let now = Set(Coerce.list(record[f.name]))
            for old in Coerce.list(original[f.name]) where !now.contains(old) {
                try? await store.delete(Self.fileKey(record.collection.id, record.id, old))
            }
        }
    }
}
