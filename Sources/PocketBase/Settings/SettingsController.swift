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
        let loadFailed = APIError.badRequest("An error occurred while loading the submitted data.")
        let body: ParsedBody
        do { body = try await BodyParser.parse(request) } catch let e as APIError where e.status == .badRequest { throw loadFailed }
        let current = try await storage.settings()
        // Secrets are omitted from the stored JSON while empty (Go's omitempty) but are fields all the same.
        let withSecrets = Self.mapSecrets(current) { $0 ?? "" }
        guard let merged = Self.bind(body.values, into: withSecrets).map({ Self.mapSecrets($0) { $0 == .string("") ? .none : $0 } }) else {
            throw loadFailed
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
            guard let bound = bind(value, into: old, key: key) else { return nil }
            out[key] = bound
        }
        return out
    }

    static func bind(_ value: JSONValue, into old: JSONValue, key: String = "") -> JSONValue? {
        switch (old, value) {
        // null resets a Go slice to nil (served as []), and leaves every other type as it was.
        case (.array, .null): return .array([])
        case (_, .null): return old
        case (.object(let o), .object(let p)): return bind(p, into: o).map(JSONValue.object)
        case (.array(let o), .array(let p)): return bind(p, into: o, zero: elementZero[key] ?? o.first.map(zeroValue))
        case (.bool, .bool), (.string, .string): return value
        case (.number(let n), .number(let v)):
            // Ints stay ints. (Not a `?:` with `nil`: JSONValue is ExpressibleByNilLiteral, so that `nil` was `.null`.)
            if n.rounded() == n && v.rounded() != v { return nil }
            return value
        default: return nil
        }
    }

    /// Go decodes array element i on top of the old element i (it reuses the slice's storage), so fields a new
    /// element omits keep the old element's values; elements past the old length start from the zero value.
    static func bind(_ values: [JSONValue], into old: [JSONValue], zero: JSONValue?) -> JSONValue? {
        guard let zero else { return .array(values) }
        var out: [JSONValue] = []
        out.reserveCapacity(values.count)
        for (i, value) in values.enumerated() {
            guard let bound = bind(value, into: i < old.count ? old[i] : zero) else { return nil }
            out.append(bound)
        }
        return .array(out)
    }

    /// The element types of the settings' slices (`rateLimits.rules`, `trustedProxy.headers`), for type checks
    /// when the old slice is empty.
    static let elementZero: [String: JSONValue] = [
        "rules": .obj(["label": "", "audience": "", "duration": 0, "maxRequests": 0]),
        "headers": "",
    ]

    /// Go's zero value shaped like `value` (settings arrays hold rules or strings).
    static func zeroValue(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let o): .object(JSONObject(o.pairs.map { ($0.key, zeroValue($0.value)) }))
        case .array: .array([])
        case .string: .string("")
        case .number: .number(0)
        case .bool: .bool(false)
        case .null: .null
        }
    }

    /// PocketBase's settings validation.
    static func validate(_ settings: JSONObject) -> JSONObject? {
        SettingsValidation.errors(settings)
    }

    /// Secrets never leave the server.
    static func redacted(_ settings: JSONObject) -> JSONObject {
        mapSecrets(settings) { _ in nil }
    }

    /// Rewrites the three secrets (`smtp.password`, `s3.secret`, `backups.s3.secret`); nil removes the key.
    static func mapSecrets(_ settings: JSONObject, _ transform: (JSONValue?) -> JSONValue?) -> JSONObject {
        var s = settings
        if var smtp = s["smtp"]?.objectValue { smtp["password"] = transform(smtp["password"]); s["smtp"] = .object(smtp) }
        if var s3 = s["s3"]?.objectValue { s3["secret"] = transform(s3["secret"]); s["s3"] = .object(s3) }
        if var backups = s["backups"]?.objectValue, var s3 = backups["s3"]?.objectValue {
            s3["secret"] = transform(s3["secret"])
            backups["s3"] = .object(s3)
            s["backups"] = .object(backups)
        }
        return s
    }
}
