import Foundation

/// PocketBase 0.23's one-time conversion of a v0.22 schema (migrations/1717233556_v0.23_migrate.go at v0.23.12):
/// `schema` → `fields` with options flattened, rules' `@request.data` → `@request.body`, the auth system fields,
/// indexes and options, the id field first and `created`/`updated` autodates last. The v0.22 settings it reads are
/// 0.22.27's defaults (token durations, mail templates; no OAuth2 provider enabled).
enum LegacyConversion {
    /// 0.22.27's default record token durations, in seconds.
    static let tokenDurations: [(String, Int)] = [
        ("authToken", 1_209_600), ("passwordResetToken", 1800), ("emailChangeToken", 1800), ("verificationToken", 604_800), ("fileToken", 120),
    ]

    /// 0.22.27's default mail templates with `{ACTION_URL}` replaced by their action URL.
    static let templates: JSONObject = (try? JSONValue.parse(#"""
{"verificationTemplate": {"subject": "Verify your {APP_NAME} email", "body": "<p>Hello,</p>\n<p>Thank you for joining us at {APP_NAME}.</p>\n<p>Click on the button below to verify your email address.</p>\n<p>\n  <a class=\"btn\" href=\"{APP_URL}/_/#/auth/confirm-verification/{TOKEN}\" target=\"_blank\" rel=\"noopener\">Verify</a>\n</p>\n<p>\n  Thanks,<br/>\n  {APP_NAME} team\n</p>"}, "resetPasswordTemplate": {"subject": "Reset your {APP_NAME} password", "body": "<p>Hello,</p>\n<p>Click on the button below to reset your password.</p>\n<p>\n  <a class=\"btn\" href=\"{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}\" target=\"_blank\" rel=\"noopener\">Reset password</a>\n</p>\n<p><i>If you didn't ask to reset your password, you can ignore this email.</i></p>\n<p>\n  Thanks,<br/>\n  {APP_NAME} team\n</p>"}, "confirmEmailChangeTemplate": {"subject": "Confirm your {APP_NAME} new email address", "body": "<p>Hello,</p>\n<p>Click on the button below to confirm your new email address.</p>\n<p>\n  <a class=\"btn\" href=\"{APP_URL}/_/#/auth/confirm-email-change/{TOKEN}\" target=\"_blank\" rel=\"noopener\">Confirm new email</a>\n</p>\n<p><i>If you didn't ask to change your email address, you can ignore this email.</i></p>\n<p>\n  Thanks,<br/>\n  {APP_NAME} team\n</p>"}}
"""#))?.objectValue ?? JSONObject()

    /// One v0.22 collection as 0.23 import JSON. `viewColumns` are the columns of a view's query.
    static func convert(_ old: JSONObject) -> JSONObject {
        let id = old["id"]?.stringValue ?? ""
        let name = old["name"]?.stringValue ?? ""
        let type = old["type"]?.stringValue ?? "base"
        let options = old["options"]?.objectValue ?? JSONObject()
        var o = JSONObject()
        o["id"] = .string(id)
        o["name"] = .string(name)
        o["type"] = .string(type)
        o["system"] = .bool(old["system"]?.boolValue ?? false)
        for rule in ["listRule", "viewRule", "createRule", "updateRule", "deleteRule"] { o[rule] = migrateRule(old[rule]) }
        var fields = (old["schema"]?.arrayValue ?? []).compactMap(\.objectValue).map(convertField)
        var indexes = (old["indexes"]?.arrayValue ?? []).compactMap(\.stringValue)
        switch type {
        case "auth":
            for (key, duration) in tokenDurations { o[key] = .obj(["duration": .number(Double(duration))]) }
            o["authRule"] = .string(options["onlyVerified"]?.boolValue == true ? "verified=true" : "")
            let manage = options["manageRule"]?.stringValue ?? ""
            o["manageRule"] = manage.isEmpty ? .null : migrateRule(.string(manage))
            var identity: [JSONValue] = []
            if options["allowEmailAuth"]?.boolValue == true { identity.append("email") }
            if options["allowUsernameAuth"]?.boolValue == true { identity.append("username") }
            o["passwordAuth"] = .obj(["enabled": .bool(!identity.isEmpty), "identityFields": .array(identity)])
            // No v0.22 provider settings are carried over: none is enabled, so OAuth2 is off.
            // The map replaces the options: the other mapped fields read back empty.
            o["oauth2"] = .obj(["enabled": false, "providers": [], "mappedFields": .obj(["id": "", "name": "", "username": "username", "avatarURL": ""])])
            for (key, value) in templates.pairs { o[key] = value }
            indexes = [
                "CREATE UNIQUE INDEX `_\(id)_username_idx` ON `\(name)` (username COLLATE NOCASE)",
                "CREATE UNIQUE INDEX `_\(id)_email_idx` ON `\(name)` (`email`) WHERE `email` != ''",
                "CREATE UNIQUE INDEX `_\(id)_tokenKey_idx` ON `\(name)` (`tokenKey`)",
            ] + indexes
            fields = authFields(options) + fields
        case "view":
            o["viewQuery"] = .string(options["query"]?.stringValue ?? "")
        default: break
        }
        fields.insert(idField, at: 0)
        let columns = type == "view" ? Set(((try? ViewFields.parse(options["query"]?.stringValue ?? ""))?.0 ?? []).map { $0.1.lowercased() }) : []
        if type != "view" || columns.contains("created") { fields.append(autodate("created", onUpdate: false)) }
        if type != "view" || columns.contains("updated") { fields.append(autodate("updated", onUpdate: true)) }
        o["fields"] = .array(fields.map(JSONValue.object))
        o["indexes"] = .array(indexes.map(JSONValue.string))
        return o
    }

    static func migrateRule(_ v: JSONValue?) -> JSONValue {
        guard case .string(let s)? = v else { return .null }
        return .string(s.replacingOccurrences(of: "@request.data", with: "@request.body"))
    }

    static func opt(_ f: JSONObject, _ key: String) -> JSONValue? {
        guard let v = f["options"]?[key], v != .null else { return nil }
        return v
    }

    /// cast.ToInt / ToBool / ToString / ToStringSlice on an option.
    static func int(_ f: JSONObject, _ key: String) -> JSONValue {
        switch opt(f, key) {
        case .number(let n)?: .number(n.rounded(.towardZero))
        case .string(let s)?: .number(Double(Int(s) ?? 0))
        case .bool(let b)?: .number(b ? 1 : 0)
        default: .number(0)
        }
    }
    static func bool(_ f: JSONObject, _ key: String) -> JSONValue {
        switch opt(f, key) {
        case .bool(let b)?: .bool(b)
        case .number(let n)?: .bool(n != 0)
        case .string(let s)?: .bool(["1", "t", "T", "TRUE", "true", "True"].contains(s))
        default: .bool(false)
        }
    }
    static func string(_ f: JSONObject, _ key: String) -> JSONValue {
        switch opt(f, key) {
        case .string(let s)?: .string(s)
        case .number(let n)?: .string(JSONValue.formatNumber(n))
        case .bool(let b)?: .string(b ? "true" : "false")
        default: .string("")
        }
    }
    static func strings(_ f: JSONObject, _ key: String) -> JSONValue {
        switch opt(f, key) {
        case .array(let a)? where a.isEmpty: .null  // appends to a nil slice: none, nil
        case .array(let a)?: .array(a.map { v in v.stringValue.map(JSONValue.string) ?? .string(v.encoded()) })
        case .string(let s)?: .array(s.split(separator: " ").map { .string(String($0)) })
        default: .null
        }
    }

    static func convertField(_ f: JSONObject) -> JSONObject {
        let type = f["type"]?.stringValue ?? ""
        var o = JSONObject([
            ("type", .string(type)), ("id", f["id"] ?? ""), ("name", f["name"] ?? ""), ("system", .bool(f["system"]?.boolValue ?? false)),
            ("required", .bool(f["required"]?.boolValue ?? false)), ("presentable", .bool(f["presentable"]?.boolValue ?? false)), ("hidden", false),
        ])
        switch type {
        case "number":
            o["onlyInt"] = bool(f, "noDecimal")
            o["min"] = opt(f, "min") ?? .null
            o["max"] = opt(f, "max") ?? .null
        case "text":
            o["primaryKey"] = .bool(f["primaryKey"]?.boolValue ?? false)
            o["hidden"] = .bool(f["hidden"]?.boolValue ?? false)
            o["min"] = int(f, "min")
            o["max"] = int(f, "max")
            o["pattern"] = string(f, "pattern")
            o["autogeneratePattern"] = string(f, "autogeneratePattern")
        case "email", "url":
            o["exceptDomains"] = strings(f, "exceptDomains")
            o["onlyDomains"] = strings(f, "onlyDomains")
        case "editor":
            o["convertURLs"] = bool(f, "convertUrls")
        case "date":
            o["min"] = string(f, "min")
            o["max"] = string(f, "max")
        case "json":
            o["maxSize"] = int(f, "maxSize")
        case "select":
            o["values"] = strings(f, "values")
            o["maxSelect"] = int(f, "maxSelect")
        case "relation":
            let max = int(f, "maxSelect").numberValue ?? 0
            o["collectionId"] = string(f, "collectionId")
            o["cascadeDelete"] = bool(f, "cascadeDelete")
            o["minSelect"] = int(f, "minSelect")
            o["maxSelect"] = .number(max <= 0 ? 2_147_483_647 : max)
        case "file":
            o["maxSelect"] = int(f, "maxSelect")
            o["maxSize"] = int(f, "maxSize")
            o["thumbs"] = strings(f, "thumbs")
            o["mimeTypes"] = strings(f, "mimeTypes")
            o["protected"] = bool(f, "protected")
        default: break
        }
        return o
    }

    static let idField = JSONObject([
        ("id", .string(Identifiers.fieldID(type: "text", name: "id"))), ("type", "text"), ("name", "id"), ("system", true), ("required", true),
        ("presentable", false), ("hidden", false), ("primaryKey", true), ("min", 15), ("max", 15), ("pattern", "^[a-z0-9]+$"),
        ("autogeneratePattern", "[a-z0-9]{15}"),
    ])

    static func autodate(_ name: String, onUpdate: Bool) -> JSONObject {
        JSONObject([
            ("id", .string(Identifiers.fieldID(type: "autodate", name: name))), ("type", "autodate"), ("name", .string(name)), ("system", false),
            ("presentable", false), ("hidden", false), ("onCreate", true), ("onUpdate", .bool(onUpdate)),
        ])
    }

    static func authFields(_ options: JSONObject) -> [JSONObject] {
        func id(_ type: String, _ name: String) -> JSONValue { .string(Identifiers.fieldID(type: type, name: name)) }
        let minPassword = options["minPasswordLength"]?.numberValue ?? 0
        func strings(_ key: String) -> JSONValue {
            guard case .array(let a)? = options[key] else { return .null }  // cast.ToStringSlice(nil) is nil
            return .array(a)
        }
        return [
            JSONObject([
                ("id", id("password", "password")), ("type", "password"), ("name", "password"), ("presentable", false), ("system", true),
                ("hidden", true), ("required", true), ("pattern", ""), ("min", .number(minPassword.rounded(.towardZero))), ("cost", 10),
            ]),
            JSONObject([
                ("id", id("text", "tokenKey")), ("type", "text"), ("name", "tokenKey"), ("system", true), ("hidden", true), ("required", true),
                ("presentable", false), ("primaryKey", false), ("min", 30), ("max", 60), ("pattern", ""), ("autogeneratePattern", "[a-zA-Z0-9_]{50}"),
            ]),
            JSONObject([
                ("id", id("email", "email")), ("type", "email"), ("name", "email"), ("system", true), ("hidden", false), ("presentable", false),
                ("required", .bool(options["requireEmail"]?.boolValue ?? false)), ("exceptDomains", strings("exceptEmailDomains")),
                ("onlyDomains", strings("onlyEmailDomains")),
            ]),
            JSONObject([
                ("id", id("bool", "emailVisibility")), ("type", "bool"), ("name", "emailVisibility"), ("system", true), ("hidden", false),
                ("presentable", false), ("required", false),
            ]),
            JSONObject([
                ("id", id("bool", "verified")), ("type", "bool"), ("name", "verified"), ("system", true), ("hidden", false), ("presentable", false),
                ("required", false),
            ]),
            JSONObject([
                ("id", id("text", "username")), ("type", "text"), ("name", "username"), ("system", false), ("hidden", false), ("required", true),
                ("presentable", false), ("primaryKey", false), ("min", 3), ("max", 150), ("pattern", #"^[\w][\w\.\-]*$"#),
                ("autogeneratePattern", "users[0-9]{6}"),
            ]),
        ]
    }
}
