import Foundation

/// Field validation with PocketBase's codes, messages and params (only the first failure per field).
struct RecordValidator {
    /// Checks that relation ids exist: (collectionId, ids) → missing any?
    let relationExists: (String, [String]) throws -> Bool

    func validate(_ record: Record, isNew: Bool, newFiles: [String: [String]] = [:]) throws -> [String: FieldError] {
        var errors: [String: FieldError] = [:]
        for f in record.collection.fields {
            if let e = try validate(field: f, value: record[f.name], record: record, isNew: isNew) { errors[f.name] = e }
        }
        return errors
    }

    func validate(field f: Field, value: JSONValue, record: Record, isNew: Bool) throws -> FieldError? {
        switch f.type {
        case .text, .editor:
            let s = value.stringValue ?? ""
            if f.name == "id" {
                for c in ["/", "\\"] where s.contains(c) {
                    return FieldError(
                        "validation_pk_forbidden", "The record primary key contains forbidden characters.", params: JSONObject([("forbidden", .string(c))]))
                }
            }
            if s.isEmpty { return f.required ? .required : nil }
            if f.type == .editor {
                let maxSize = f.int("maxSize") > 0 ? f.int("maxSize") : 5 << 20
                guard s.utf8.count <= maxSize else {
                    return FieldError(
                        "validation_content_size_limit", "The maximum allowed content size is \(maxSize) bytes",
                        params: JSONObject([("maxSize", .number(Double(maxSize)))]))
                }
                return nil
            }
            let len = s.count
            let minLen = f.int("min")
            var maxLen = f.int("max")
            if maxLen == 0 { maxLen = 5000 }
            if minLen > 0 && len < minLen {
                return FieldError("validation_min_text_constraint", "Must be at least \(minLen) character(s).", params: JSONObject([("min", .number(Double(minLen)))]))
            }
            if len > maxLen {
                return FieldError("validation_max_text_constraint", "Must be no more than \(maxLen) character(s).", params: JSONObject([("max", .number(Double(maxLen)))]))
            }
            let pattern = f.string("pattern")
            if !pattern.isEmpty, !Self.matches(pattern, s) { return FieldError("validation_invalid_format", "Invalid value format.") }
        case .number:
            let n = value.numberValue ?? 0
            if n == 0 { return f.required ? .required : nil }
            if !n.isFinite { return FieldError("validation_not_a_number", "The submitted number is not properly formatted.") }
            // Go compares against float64(int64(v)): values outside int64 also fail.
            if f.bool("onlyInt") && (n != n.rounded(.towardZero) || abs(n) >= 9.223372036854775807e18) { return FieldError("validation_only_int_constraint", "Decimal numbers are not allowed.") }
            if let mn = f.number("min"), n < mn {
                return FieldError("validation_min_number_constraint", "Must be larger than \(String(format: "%f", mn)).")
            }
            if let mx = f.number("max"), n > mx {
                return FieldError("validation_max_number_constraint", "Must be less than \(String(format: "%f", mx)).")
            }
        case .bool:
            if f.required && !(value.boolValue ?? false) { return .required }
        case .email:
            let s = value.stringValue ?? ""
            if s.isEmpty { return f.required ? .required : nil }
            if !Self.isEmail(s) { return FieldError("validation_is_email", "Must be a valid email address.") }
            let domain = String(s[s.index(after: s.lastIndex(of: "@")!)...])
            if !Self.domainAllowed(domain, f) { return FieldError("validation_email_domain_not_allowed", "Email domain is not allowed.") }
        case .url:
            let s = value.stringValue ?? ""
            if s.isEmpty { return f.required ? .required : nil }
            guard let host = Self.urlHost(s) else { return FieldError("validation_invalid_url", "Must be a valid url.") }
            if !Self.domainAllowed(host, f) { return FieldError("validation_url_domain_not_allowed", "Url domain is not allowed.") }
        case .date:
            let s = value.stringValue ?? ""
            if s.isEmpty { return f.required ? .required : nil }
            // ozzo's Min/Max on time.Time: the message prints Go's time.String(), the param its RFC 3339 JSON.
            if let date = PBDate.parse(s) {
                if let min = PBDate.parse(f.string("min")), date < min {
                    return FieldError(
                        "validation_min_greater_equal_than_required", "Must be no less than \(Self.goTimeString(min)).",
                        params: JSONObject([("threshold", .string(Self.goRFC3339(min)))]))
                }
                if let max = PBDate.parse(f.string("max")), date > max {
                    return FieldError(
                        "validation_max_less_equal_than_required", "Must be no greater than \(Self.goTimeString(max)).",
                        params: JSONObject([("threshold", .string(Self.goRFC3339(max)))]))
                }
            }
        case .select:
            let items = Coerce.list(value)
            if items.isEmpty { return f.required ? .required : nil }
            let maxSelect = max(f.int("maxSelect"), 1)
            if items.count > maxSelect {
                return FieldError("validation_too_many_values", "Select no more than \(maxSelect).", params: JSONObject([("maxSelect", .number(Double(maxSelect)))]))
            }
            let allowed = Set(f.strings("values"))
            if let bad = items.first(where: { !allowed.contains($0) }) {
                return FieldError("validation_invalid_value", "Invalid value \(bad).", params: JSONObject([("value", .string(bad))]))
            }
        case .relation:
            let ids = Coerce.list(value)
            if ids.isEmpty { return f.required ? .required : nil }
            let minSelect = f.int("minSelect")
            let maxSelect = max(f.int("maxSelect"), 1)
            if ids.count < minSelect {
                return FieldError("validation_not_enough_values", "Select at least \(minSelect).", params: JSONObject([("minSelect", .number(Double(minSelect)))]))
            }
            if ids.count > maxSelect {
                return FieldError("validation_too_many_values", "Select no more than \(maxSelect).", params: JSONObject([("maxSelect", .number(Double(maxSelect)))]))
            }
            if try !relationExists(f.string("collectionId"), ids) {
                return FieldError("validation_missing_rel_records", "Failed to find all relation records with the provided ids.")
            }
        case .file:
            let names = Coerce.list(value)
            if names.isEmpty { return f.required ? .required : nil }
            let maxSelect = max(f.int("maxSelect"), 1)
            if names.count > maxSelect {
                return FieldError("validation_too_many_files", "The maximum allowed files is \(maxSelect)", params: JSONObject([("maxSelect", .number(Double(maxSelect)))]))
            }
        case .json:
            if f.required {
                switch value {
                case .null: return .required
                case .string(let s) where s.isEmpty: return .required
                case .array(let a) where a.isEmpty: return .required
                case .object(let o) where o.isEmpty: return .required
                default: break
                }
            }
            let maxSize = f.int("maxSize") > 0 ? f.int("maxSize") : 5 << 20
            if value.encoded().utf8.count > maxSize {
                return FieldError("validation_json_size_limit", "The maximum allowed JSON size is \(maxSize) bytes", params: JSONObject([("maxSize", .number(Double(maxSize)))]))
            }
        case .password:
            let s = value.stringValue ?? ""
            if s.isEmpty { return f.required ? .required : nil }
            let minLen = max(f.int("min"), 1)
            let maxLen = f.int("max") > 0 ? f.int("max") : 71
            if s.count < minLen {
                return FieldError("validation_min_text_constraint", "Must be at least \(minLen) character(s).")
            }
            if s.utf8.count > maxLen { return FieldError("validation_max_text_constraint", "Must be less than \(maxLen) character(s).") }
        default: break
        }
        return nil
    }

    /// A field pattern against a value, bounded (`BoundedRegex`): where ICU's backtracking would pass the step limit
    /// the value counts as not matching (Go's RE2 would answer; no pattern PocketBase ships gets near the limit).
    static func matches(_ pattern: String, _ s: String) -> Bool {
        compiledPatterns.value(pattern) { BoundedRegex(GoRegex.translate(pattern)) }?.firstMatch(in: s) == .match
    }

    /// Field patterns compiled once each, nil for one ICU cannot compile (a schema has a handful; bounded so
    /// generated schemas cannot grow it).
    static let compiledPatterns = BoundedCache<String, BoundedRegex?>(capacity: 256)

    /// nil when the value is not a URL (govalidator's IsURL: the scheme is optional); otherwise Go's `url.Host`
    /// (with port), which is "" for scheme-less values — so those fail a domain restriction, as in PocketBase.
    static func urlHost(_ s: String) -> String? {
        guard !s.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) else { return nil }
        let hasScheme = s.contains("://")
        guard let c = URLComponents(string: hasScheme ? s : "http://" + s), let host = c.host, !host.isEmpty,
            host.contains(".") || host == "localhost"
        else { return nil }
        guard hasScheme else { return "" }
        return c.port.map { "\(host):\($0)" } ?? host
    }

    static func domainAllowed(_ domain: String, _ f: Field) -> Bool {
        let only = f.strings("onlyDomains"), except = f.strings("exceptDomains")
        if !only.isEmpty && !only.contains(domain) { return false }
        if !except.isEmpty && except.contains(domain) { return false }
        return true
    }

    /// Go's `time.Time.String()` for a UTC time: `2006-01-02 15:04:05[.fraction] +0000 UTC` (fraction without trailing zeros).
    static func goTimeString(_ date: Date) -> String {
        let (base, fraction) = goParts(date)
        return base + fraction + " +0000 UTC"
    }

    /// Go's JSON for a UTC time (RFC 3339 with nanoseconds, trailing zeros dropped): `2006-01-02T15:04:05[.fraction]Z`.
    static func goRFC3339(_ date: Date) -> String {
        let (base, fraction) = goParts(date)
        return base.replacingOccurrences(of: " ", with: "T") + fraction + "Z"
    }

    static func goParts(_ date: Date) -> (String, String) {
        let text = PBDate.format(date)  // "2006-01-02 15:04:05.000Z" (milliseconds, as stored)
        let base = String(text.prefix(19))
        var millis = String(text.dropFirst(20).prefix(3))
        while millis.hasSuffix("0") { millis.removeLast() }
        return (base, millis.isEmpty ? "" : "." + millis)
    }
}
