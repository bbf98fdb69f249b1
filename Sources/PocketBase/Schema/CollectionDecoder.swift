import Foundation

/// Turns collection JSON (API body or import item) into a `CollectionModel`, filling PocketBase's defaults.
enum CollectionDecoder {
    struct InvalidFormat: Error {}

    static func decode(_ json: JSONValue, existing: CollectionModel?, now: String, lookup: (String) -> CollectionModel? = { _ in nil }) throws
        -> CollectionModel
    {
        guard let o = json.objectValue else { throw InvalidFormat() }
        let type = o["type"]?.stringValue ?? existing?.type.rawValue ?? "base"
        let name = o["name"]?.stringValue ?? existing?.name ?? ""
        var id = o["id"]?.stringValue ?? existing?.id ?? ""
        if id.isEmpty { id = Identifiers.collectionID(type: type, name: name) }

        func rule(_ key: String, _ old: String?) -> String? {
            // New collections default every rule to null (superusers only).
            guard let v = o[key] else { return existing == nil ? nil : old }
            return v.stringValue
        }

        var fields: [Field]
        if let arr = o["fields"]?.arrayValue {
            // PocketBase's FieldsList.Add, one field at a time: a field without an id gets `type+crc32(name)` (made
            // unique) and replaces an earlier field of the same name in place, keeping that field's id; a field with
            // an id replaces the earlier one with that id. Only the case-insensitive clashes left are errors.
            // (Index maps keep it linear in the number of fields.)
            fields = []
            var byID: [String: Int] = [:], byName: [String: Int] = [:]
            for v in arr {
                guard var f = v.objectValue, let t = f["type"]?.stringValue, Field.knownTypes.contains(t) else { throw InvalidFormat() }
                let name = f["name"]?.stringValue ?? ""
                for k in ["system", "hidden", "presentable"] where f[k] == nil { f[k] = false }
                var slot: Int?
                if (f["id"]?.stringValue ?? "").isEmpty {
                    if !name.isEmpty, let i = byName[name] {
                        f["id"] = .string(fields[i].id)
                        slot = i
                    } else {
                        let base = Identifiers.fieldID(type: t, name: name)
                        var id = base
                        for n in 2..<1000 where byID[id] != nil { id = base + String(n) }
                        f["id"] = .string(id)
                    }
                } else {
                    slot = byID[f["id"]?.stringValue ?? ""]
                }
                let field = Field.decoded(t, f)
                if let slot {
                    if byName[fields[slot].name] == slot { byName[fields[slot].name] = nil }
                    fields[slot] = field
                } else {
                    slot = fields.count
                    fields.append(field)
                }
                if let slot {
                    byID[field.id] = slot
                    if byName[field.name] == nil { byName[field.name] = slot }
                }
            }
        } else {
            fields = existing?.fields ?? []
        }
        if !fields.contains(where: { $0.name == "id" }) { fields.insert(Field.idField(), at: 0) }
        if type == "auth" { fields = ensureAuthFields(fields) }

        var options = JSONObject()
        if type == "auth" {
            for key in CollectionModel.authOptionKeys {
                // Like json.Unmarshal into the existing struct (a new one starts from the defaults): nested keys
                // absent from the payload are kept.
                var v = mergeOption(existing?.options[key] ?? defaultAuthOption(key, collectionName: name), o[key]) ?? defaultAuthOption(key, collectionName: name)
                if key == "oauth2", var oauth = v.objectValue, let providers = oauth["providers"]?.arrayValue {
                    oauth["providers"] = .array(providers.map(normalizedProvider))
                    v = .object(oauth)
                }
                if CollectionModel.tokenOptionKeys.contains(key), var t = v.objectValue {
                    let secret = existing?.options[key]?["secret"]?.stringValue ?? t["secret"]?.stringValue ?? ""
                    t["secret"] = nil
                    // PocketBase stores the secret first: {"secret":…,"duration":…}
                    let s = secret.isEmpty ? Identifiers.random(50, alphabet: Identifiers.alphanumeric) : secret
                    v = .object(JSONObject([("secret", .string(s))] + t.pairs.map { ($0.key, $0.value) }))
                }
                if key == "oauth2", var oauth = v.objectValue, oauth["providers"] == nil || oauth["providers"] == .null {
                    oauth["providers"] = nil
                    // The options are a Go struct: a missing providers list reads back as [].
                    oauth = JSONObject([("providers", .array([]))] + oauth.pairs.map { ($0.key, $0.value) })
                    v = .object(oauth)
                }
                options[key] = v
            }
        } else if type == "view" {
            let query = o["viewQuery"]?.stringValue ?? existing?.viewQuery ?? ""
            options["viewQuery"] = .string(query)
            fields = ViewFields.derive(query: query, submitted: fields, lookup: lookup) ?? fields
        }

        let isSystem = o["system"]?.boolValue ?? existing?.system ?? false
        var indexes = (o["indexes"]?.arrayValue ?? existing.map { $0.indexes.map(JSONValue.string) } ?? []).compactMap(\.stringValue)
        if type == "auth" { indexes = ensureAuthIndexes(indexes, id: id, name: name) }
        return CollectionModel(
            id: id, name: name, type: CollectionType(rawValue: type) ?? .base, system: isSystem, fields: fields,
            indexes: indexes,
            listRule: rule("listRule", existing?.listRule), viewRule: rule("viewRule", existing?.viewRule),
            createRule: rule("createRule", existing?.createRule), updateRule: rule("updateRule", existing?.updateRule),
            deleteRule: rule("deleteRule", existing?.deleteRule), options: options,
            created: existing?.created ?? now, updated: now)
    }

    /// An OAuth2 provider as PocketBase's `OAuth2ProviderConfig` struct writes it (its keys, in its order).
    static func normalizedProvider(_ p: JSONValue) -> JSONValue {
        guard let o = p.objectValue else { return p }
        var out = JSONObject([("pkce", o["pkce"] ?? .null), ("name", .string(o["name"]?.stringValue ?? "")), ("clientId", .string(o["clientId"]?.stringValue ?? ""))])
        if let secret = o["clientSecret"]?.stringValue, !secret.isEmpty { out["clientSecret"] = .string(secret) }
        for key in ["authURL", "tokenURL", "userInfoURL", "displayName"] { out[key] = .string(o[key]?.stringValue ?? "") }
        out["extra"] = o["extra"] ?? .null
        return .object(out)
    }

    /// `json.Unmarshal` onto the existing options: objects merge key by key, and an array decodes its items onto
    /// the old items at the same index — so `oauth2.providers` sent without `clientSecret` (the API never returns it)
    /// keep the secret of the provider that was at that position, exactly as PocketBase 0.23.12 does.
    static func mergeOption(_ old: JSONValue?, _ new: JSONValue?) -> JSONValue? {
        guard let new else { return old }
        switch (old, new) {
        case (.object(var base)?, .object(let patch)):
            for (k, v) in patch { base[k] = mergeOption(base[k], v) }
            return .object(base)
        case (.array(let before)?, .array(let items)):
            return .array(items.enumerated().map { i, v in i < before.count ? mergeOption(before[i], v) ?? v : v })
        default:
            return new
        }
    }

    static func ensureAuthFields(_ fields: [Field]) -> [Field] {
        var out = fields
        let required: [Field] = [
            Field.make("password", "password", system: true, hidden: true, ["cost": 0, "min": 8, "required": true]),
            Field.make("text", "tokenKey", system: true, hidden: true, [
                "autogeneratePattern": "[a-zA-Z0-9]{50}", "max": 60, "min": 30, "required": true,
            ]),
            Field.make("email", "email", system: true, ["required": true]),
            Field.make("bool", "emailVisibility", system: true),
            Field.make("bool", "verified", system: true),
        ]
        // core/collection_model.go initDefaultFields: missing system fields are appended (in this order), existing
        // ones get their system flags forced.
        for f in required {
            if let i = out.firstIndex(where: { $0.name == f.name }) {
                out[i].raw["system"] = true
                switch f.name {
                case "password", "tokenKey":
                    out[i].raw["hidden"] = true
                    out[i].raw["required"] = true
                case "email": out[i].raw["hidden"] = false
                default: break
                }
            } else {
                out.append(f)
            }
        }
        return out
    }

    /// initTokenKeyField / initEmailField: an auth collection always has unique indexes on `tokenKey` and on
    /// non-empty `email` (named `idx_<field>_<collectionId>`, cut at 64 characters).
    static func ensureAuthIndexes(_ indexes: [String], id: String, name: String) -> [String] {
        var out = indexes
        func indexName(_ field: String) -> String { String(("idx_" + field + "_" + (id.isEmpty ? name : id)).prefix(64)) }
        if !Runner.hasSingleColumnUniqueIndex("tokenKey", out) {
            out.append("CREATE UNIQUE INDEX `\(indexName("tokenKey"))` ON `\(name)` (`tokenKey`)")
        }
        if !Runner.hasSingleColumnUniqueIndex("email", out) {
            out.append("CREATE UNIQUE INDEX `\(indexName("email"))` ON `\(name)` (`email`) WHERE `email` != ''")
        }
        return out
    }

    static func defaultAuthOption(_ key: String, collectionName: String) -> JSONValue {
        switch key {
        case "authRule": return ""
        case "manageRule": return .null
        case "authAlert": return .obj(["enabled": true, "emailTemplate": template("authAlert")])
        case "oauth2":
            return .obj([
                "providers": [], "mappedFields": .obj(["id": "", "name": "", "username": "", "avatarURL": ""]), "enabled": false,
            ])
        case "passwordAuth": return .obj(["enabled": true, "identityFields": ["email"]])
        case "mfa": return .obj(["enabled": false, "duration": 1800, "rule": ""])
        case "otp": return .obj(["enabled": false, "duration": 180, "length": 8, "emailTemplate": template("otp")])
        case "authToken": return .obj(["duration": collectionName == SystemCollection.superusers ? 86400 : 604800])
        case "passwordResetToken", "emailChangeToken": return .obj(["duration": 1800])
        case "verificationToken": return .obj(["duration": 259200])
        case "fileToken": return .obj(["duration": 180])
        default: return template(key)
        }
    }

    /// core/collection_model_auth_templates.go: the default mail templates of a new auth collection.
    static func template(_ key: String) -> JSONValue {
        let thanks = "<p>\n  Thanks,<br/>\n  {APP_NAME} team\n</p>"
        func button(_ path: String, _ label: String) -> String {
            "<p>\n  <a class=\"btn\" href=\"{APP_URL}/_/#/auth/\(path)/{TOKEN}\" target=\"_blank\" rel=\"noopener\">\(label)</a>\n</p>"
        }
        let (subject, body): (String, String)
        switch key {
        case "verificationTemplate":
            subject = "Verify your {APP_NAME} email"
            body = "<p>Hello,</p>\n<p>Thank you for joining us at {APP_NAME}.</p>\n<p>Click on the button below to verify your email address.</p>\n"
                + button("confirm-verification", "Verify") + "\n" + thanks
        case "resetPasswordTemplate":
            subject = "Reset your {APP_NAME} password"
            body = "<p>Hello,</p>\n<p>Click on the button below to reset your password.</p>\n" + button("confirm-password-reset", "Reset password")
                + "\n<p><i>If you didn't ask to reset your password, you can ignore this email.</i></p>\n" + thanks
        case "confirmEmailChangeTemplate":
            subject = "Confirm your {APP_NAME} new email address"
            body = "<p>Hello,</p>\n<p>Click on the button below to confirm your new email address.</p>\n" + button("confirm-email-change", "Confirm new email")
                + "\n<p><i>If you didn't ask to change your email address, you can ignore this email.</i></p>\n" + thanks
        case "otp":
            subject = "OTP for {APP_NAME}"
            body = "<p>Hello,</p>\n<p>Your one-time password is: <strong>{OTP}</strong></p>\n"
                + "<p><i>If you didn't ask for the one-time password, you can ignore this email.</i></p>\n" + thanks
        case "authAlert":
            subject = "Login from a new location"
            body = "<p>Hello,</p>\n<p>We noticed a login to your {APP_NAME} account from a new location.</p>\n"
                + "<p>If this was you, you may disregard this email.</p>\n"
                + "<p><strong>If this wasn't you, you should immediately change your {APP_NAME} account password to revoke access from all other locations.</strong></p>\n"
                + thanks
        default:
            (subject, body) = ("", "")
        }
        return .obj(["subject": .string(subject), "body": .string(body)])
    }
}

extension Field {
    /// Overlays submitted options on the type defaults.
    func merged(_ o: JSONObject) -> Field {
        var r = raw
        for (k, v) in o { r[k] = v }
        return Field(raw: r)
    }
}
