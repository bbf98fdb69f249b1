import Foundation
import Hummingbird

/// `GET/PATCH /api/settings` (superusers): the `_params` settings row, bound like PocketBase's JSON decoding into
/// its Settings struct (known keys only, objects merged, other values replaced, wrong types refused).
struct SettingsController {
    let storage: Storage
    /// Where `test/email` delivers.
    var mailbox = DevMailbox(dataDir: nil)

    func register(on router: Router<AppRequestContext>) {
        router.get("api/settings", use: get)
        router.patch("api/settings", use: patch)
        router.post("api/settings/test/email", use: testEmail)
        router.post("api/settings/test/s3", use: testS3)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        return Self.respond(try await storage.settings(), request)
    }

    @Sendable func patch(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        let body = try await BodyParser.parse(request)
        let current = try await storage.settings()
        guard let merged = Self.bind(body.values, into: current) else {
            throw APIError.badRequest("An error occurred while loading the submitted data.")
        }
        if let errors = Self.validate(merged) { throw APIError.badRequest("An error occurred while saving the new settings.", errors) }
        try await storage.saveSettings(merged)
        return Self.respond(merged, request)
    }

    /// Settings as the API shows them: secrets removed, `?fields=` applied.
    static func respond(_ settings: JSONObject, _ request: Request) -> Response {
        FieldsProjection.respond(.object(redacted(settings)), fields: request.uri.queryParams["fields"])
    }

    /// Go's `json.Unmarshal` over the current value: nil when a submitted value has the wrong type.
    static func bind(_ patch: JSONObject, into current: JSONObject) -> JSONObject? {
        var out = current
        for (key, value) in patch.pairs {
            guard let old = current[key] else { continue }  // unknown keys are ignored
            guard let bound = bind(value, into: old) else { return nil }
            out[key] = bound
        }
        return out
    }

    static func bind(_ value: JSONValue, into old: JSONValue) -> JSONValue? {
        switch (old, value) {
        case (_, .null): return old
        case (.object(let o), .object(let p)): return bind(p, into: o).map(JSONValue.object)
        case (.bool, .bool), (.string, .string), (.array, .array): return value
        case (.number(let n), .number(let v)): return n.rounded() == n && v.rounded() != v ? nil : value  // ints stay ints
        default: return nil
        }
    }

    /// The `batch` rules of PocketBase's settings validation (the part the dev tooling changes).
    static func validate(_ settings: JSONObject) -> JSONObject? {
        let batch = settings["batch"]?.objectValue ?? JSONObject()
        let enabled = batch["enabled"]?.boolValue ?? false
        var errors = JSONObject()
        for key in ["maxRequests", "timeout", "maxBodySize"] {
            let n = batch[key]?.numberValue ?? 0
            if enabled && key != "maxBodySize" && n == 0 {
                errors[key] = FieldError.required.json
            } else if n < 0 {
                errors[key] = FieldError("validation_min_greater_equal_than_required", "Must be no less than 0.", params: JSONObject([("threshold", 0)])).json
            }
        }
        return errors.isEmpty ? nil : JSONObject([("batch", .object(errors))])
    }

    /// Secrets never leave the server.
    static func redacted(_ settings: JSONObject) -> JSONObject {
        var s = settings
        if var smtp = s["smtp"]?.objectValue { smtp["password"] = nil; s["smtp"] = .object(smtp) }
        if var s3 = s["s3"]?.objectValue { s3["secret"] = nil; s["s3"] = .object(s3) }
        if var backups = s["backups"]?.objectValue, var s3 = backups["s3"]?.objectValue {
            s3["secret"] = nil
            backups["s3"] = .object(s3)
            s["backups"] = .object(backups)
        }
        return s
    }
}
