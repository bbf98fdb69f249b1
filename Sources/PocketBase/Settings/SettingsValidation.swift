import Foundation

/// PocketBase's settings validation (`core/settings_model.go`, ozzo-validation rules): every section is checked and
/// the failures come back as `section → field → error`, keys sorted like Go maps. Per field only the first failing
/// rule is reported; `Min`, `Length`, `In` and the `is.*` formats skip empty values, `Required` fails on them.
enum SettingsValidation {
    /// The `data` of the 400, or nil when the settings are valid.
    static func errors(_ settings: JSONObject) -> JSONObject? {
        var sections: [String: JSONObject] = [:]
        func add(_ name: String, _ errors: JSONObject) { if !errors.isEmpty { sections[name] = errors } }
        add("meta", meta(settings.section("meta")))
        add("logs", logs(settings.section("logs")))
        add("smtp", smtp(settings.section("smtp")))
        add("s3", s3(settings.section("s3")))
        add("backups", backups(settings.section("backups")))
        add("batch", batch(settings.section("batch")))
        add("rateLimits", rateLimits(settings.section("rateLimits")))
        guard !sections.isEmpty else { return nil }
        return JSONObject(sections.sorted { $0.key < $1.key }.map { ($0.key, .object($0.value)) })
    }

    // MARK: sections

    static func smtp(_ s: JSONObject) -> JSONObject {
        let enabled = s.bool("enabled")
        var e: [String: FieldError] = [:]
        e["host"] = first(required(s.string("host"), when: enabled), format(s.string("host"), GoValidator.isHost, .invalidHost))
        e["port"] = first(required(s.int("port"), when: enabled), min(s.int("port"), 0))
        e["authMethod"] = oneOf(s.string("authMethod"), ["LOGIN", "PLAIN"])
        e["localName"] = format(s.string("localName"), GoValidator.isHost, .invalidHost)
        return e.json
    }

    static func s3(_ s: JSONObject) -> JSONObject {
        let enabled = s.bool("enabled")
        var e: [String: FieldError] = [:]
        e["endpoint"] = first(format(s.string("endpoint"), GoValidator.isURL, .invalidURL), required(s.string("endpoint"), when: enabled))
        for key in ["bucket", "region", "accessKey", "secret"] {
            e[key] = required(s.string(key), when: enabled)
        }
        return e.json
    }

    static func backups(_ s: JSONObject) -> JSONObject {
        let cron = s.string("cron")
        var e: [String: FieldError] = [:]
        if !cron.isEmpty {
            do throws(CronSchedule.ParseError) {
                _ = try CronSchedule.parse(cron)
            } catch {
                e["cron"] = FieldError("validation_invalid_cron", error.description)
            }
        }
        e["cronMaxKeep"] = first(required(s.int("cronMaxKeep"), when: !cron.isEmpty), min(s.int("cronMaxKeep"), 1))
        var out = e.json
        let nested = s3(s.section("s3"))
        if !nested.isEmpty { out = out.inserting("s3", .object(nested)) }
        return out
    }

    static func meta(_ s: JSONObject) -> JSONObject {
        var e: [String: FieldError] = [:]
        for key in ["appName", "senderName"] {
            e[key] = first(required(s.string(key)), length(s.string(key), 1, 255))
        }
        e["appURL"] = first(required(s.string("appURL")), format(s.string("appURL"), GoValidator.isURL, .invalidURL))
        e["senderAddress"] = first(format(s.string("senderAddress"), GoValidator.isEmail, .invalidEmail), required(s.string("senderAddress")))
        return e.json
    }

    static func logs(_ s: JSONObject) -> JSONObject {
        var e: [String: FieldError] = [:]
        e["maxDays"] = min(s.int("maxDays"), 0)
        return e.json
    }

    static func batch(_ s: JSONObject) -> JSONObject {
        let enabled = s.bool("enabled")
        var e: [String: FieldError] = [:]
        e["maxRequests"] = first(required(s.int("maxRequests"), when: enabled), min(s.int("maxRequests"), 0))
        e["timeout"] = first(required(s.int("timeout"), when: enabled), min(s.int("timeout"), 0))
        e["maxBodySize"] = min(s.int("maxBodySize"), 0)
        return e.json
    }

    /// `rules` is required when enabled; then each rule's own errors (all indexes); only when every rule is valid,
    /// the first rule that conflicts with an earlier one.
    static func rateLimits(_ s: JSONObject) -> JSONObject {
        let rules = s["rules"]?.arrayValue ?? []
        if s.bool("enabled") && rules.isEmpty { return JSONObject([("rules", FieldError.required.json)]) }
        var perRule: [String: JSONObject] = [:]
        for (i, rule) in rules.enumerated() {
            let errors = rateLimitRule(rule.objectValue ?? JSONObject())
            if !errors.isEmpty { perRule[String(i)] = errors }
        }
        if !perRule.isEmpty {
            let sorted = perRule.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.object($0.value)) }
            return JSONObject([("rules", .object(JSONObject(sorted)))])
        }
        guard let conflict = RateLimitRule.firstConflict(rules.compactMap { $0.objectValue.map(RateLimitRule.init) }) else { return JSONObject() }
        let error = FieldError(
            "validation_conflicting_rate_limit_rule",
            "Rate limit rule configuration with label \(conflict.label) already exists or conflicts with another rule.",
            params: JSONObject([("label", .string(conflict.label))]))
        let label = JSONObject([("label", error.json)])
        return JSONObject([("rules", .object(JSONObject([(String(conflict.index), .object(label))])))])
    }

    static func rateLimitRule(_ r: JSONObject) -> JSONObject {
        var e: [String: FieldError] = [:]
        let label = r.string("label")
        e["label"] = first(required(label), RateLimitRule.isValidLabel(label) || label.isEmpty ? nil : .invalidFormat)
        e["maxRequests"] = first(required(r.int("maxRequests")), min(r.int("maxRequests"), 1))
        e["duration"] = first(required(r.int("duration")), min(r.int("duration"), 1))
        e["audience"] = oneOf(r.string("audience"), ["", "@guest", "@auth"])
        return e.json
    }

    // MARK: rules (ozzo's)

    static func first(_ errors: FieldError?...) -> FieldError? { errors.lazy.compactMap { $0 }.first }

    static func required(_ value: String, when condition: Bool = true) -> FieldError? {
        condition && value.isEmpty ? .required : nil
    }

    static func required(_ value: Int, when condition: Bool = true) -> FieldError? {
        condition && value == 0 ? .required : nil
    }

    static func min(_ value: Int, _ threshold: Int) -> FieldError? {
        value != 0 && value < threshold ? .minimum(threshold) : nil
    }

    static func length(_ value: String, _ min: Int, _ max: Int) -> FieldError? {
        let runes = value.unicodeScalars.count
        return value.isEmpty || (runes >= min && runes <= max) ? nil : .lengthOutOfRange(min: min, max: max)
    }

    static func oneOf(_ value: String, _ allowed: Set<String>) -> FieldError? {
        value.isEmpty || allowed.contains(value) ? nil : .notOneOf
    }

    static func format(_ value: String, _ check: (String) -> Bool, _ error: FieldError) -> FieldError? {
        value.isEmpty || check(value) ? nil : error
    }
}

extension FieldError {
    static let invalidHost = FieldError("validation_is_host", "Must be a valid IP address or DNS name.")
    static let invalidURL = FieldError("validation_is_url", "Must be a valid URL.")
    static let invalidEmail = FieldError("validation_is_email", "Must be a valid email address.")
    static let invalidFormat = FieldError("validation_match_invalid", "Must be in a valid format.")
    static let notOneOf = FieldError("validation_in_invalid", "Must be a valid value.")

    /// ozzo's Min(n) failure.
    static func minimum(_ threshold: Int) -> FieldError {
        FieldError(
            "validation_min_greater_equal_than_required", "Must be no less than \(threshold).",
            params: JSONObject([("threshold", .number(Double(threshold)))]))
    }
}

extension JSONObject {
    /// A settings section (missing or mistyped → empty, which validates like Go's zero value).
    func section(_ key: String) -> JSONObject { self[key]?.objectValue ?? JSONObject() }
    func string(_ key: String) -> String { self[key]?.stringValue ?? "" }
    func bool(_ key: String) -> Bool { self[key]?.boolValue ?? false }
    func int(_ key: String) -> Int { Int(saturating: self[key]?.numberValue ?? 0) }

    /// A copy with `key` set, keys re-sorted like a Go map.
    func inserting(_ key: String, _ value: JSONValue) -> JSONObject {
        var copy = self
        copy[key] = value
        return copy.sorted()
    }
}
