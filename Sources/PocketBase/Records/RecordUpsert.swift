import Foundation

/// Applies a submitted body to a record: PocketBase's field setters, modifiers and file handling.
struct RecordUpsert {
    var record: Record
    let original: Record?
    let superuser: Bool
    /// Number modifiers, applied in SQL for atomicity.
    var deltas: [String: Double] = [:]
    /// Uploads to write after the save: field → (stored name, bytes).
    var uploads: [(field: String, name: String, original: String, data: [UInt8])] = []
    var errors: [String: FieldError] = [:]

    init(collection: CollectionModel, original: Record?, superuser: Bool) {
        self.original = original
        self.superuser = superuser
        self.record = original ?? Record(collection: collection)
    }

    var isNew: Bool { original == nil }

    mutating func load(_ body: ParsedBody) {
        let c = record.collection
        for f in c.fields {
            if f.type == .autodate { continue }
            if f.hidden && !superuser && f.type != .password { continue }
            if c.isAuth && (f.name == "tokenKey") { continue }
            let name = f.name
            if let v = body.values[name] {
                if name == "id" {
                    let newID = Coerce.toString(v)
                    if let original, newID != original.id {
                        errors["id"] = FieldError("validation_pk_change", "The record primary key cannot be changed.")
                    } else if isNew {
                        record["id"] = .string(newID)
                    }
                } else if f.type == .json, case .string(let s) = v {
                    let prepared = Record.preparedJSONText(Data(s.utf8))
                    record[name] = prepared.value
                    // A string Go's strconv.Quote cannot write as JSON (control bytes) fails is.JSON there.
                    if !prepared.marshalable { errors[name] = FieldError("validation_invalid_json", "Must be a valid json value.") }
                } else {
                    record[name] = Coerce.value(v, for: f)
                }
                deltas[name] = nil
            }
            switch f.type {
            case .number:
                if let v = body.values[name + "+"] { add(f, Coerce.toNumber(v), plainSet: body.values[name] != nil) }
                if let v = body.values[name + "-"] { add(f, -Coerce.toNumber(v), plainSet: body.values[name] != nil) }
            case .select, .relation, .file:
                var list = Coerce.list(record[name])
                if let v = body.values["+" + name] { list = Coerce.toList(v) + list.filter { !Coerce.toList(v).contains($0) } }
                if let v = body.values[name + "+"] { list += Coerce.toList(v).filter { !list.contains($0) } }
                if let v = body.values[name + "-"] { let rm = Set(Coerce.toList(v)); list = list.filter { !rm.contains($0) } }
                if f.type == .file { list = loadFiles(f, list: list, body: body) }
                if ["+" + name, name + "+", name + "-"].contains(where: { body.values[$0] != nil }) || f.type == .file {
                    record[name] = f.isMultiple ? .array(list.map(JSONValue.string)) : .string(list.last ?? "")
                }
            case .text:
                if let v = body.values[name + ":autogenerate"] {
                    record[name] = .string(Coerce.toString(v) + Identifiers.generate(pattern: f.string("autogeneratePattern")))
                }
            default: break
            }
        }
    }

    mutating func add(_ f: Field, _ delta: Double, plainSet: Bool) {
        record[f.name] = .number((record[f.name].numberValue ?? 0) + delta)
        if !plainSet && !isNew { deltas[f.name, default: 0] += delta }
    }

    /// File parts under `name`, `name+`, `+name`: `name` replaces, the modifiers append/prepend.
    mutating func loadFiles(_ f: Field, list: [String], body: ParsedBody) -> [String] {
        var list = list
        func store(_ files: [UploadedFile]) -> [String] {
            files.map { file in
                let stored = FileNames.normalize(file.filename)
                uploads.append((f.name, stored, file.filename, file.data))
                return stored
            }
        }
        if let files = body.files[f.name], !files.isEmpty {
            let keep = body.values[f.name].map(Coerce.toList) ?? []
            list = keep + store(files)
        }
        if let files = body.files[f.name + "+"] { list += store(files) }
        if let files = body.files["+" + f.name] { list = store(files) + list }
        return list
    }

    /// File checks PocketBase runs per field: unknown names, then each new upload's size and sniffed type.
    func fileErrors() -> [String: FieldError] {
        var errors: [String: FieldError] = [:]
        for f in record.collection.fields where f.type == .file {
            let names = Coerce.list(record[f.name])
            let existing = Set(original.map { Coerce.list($0[f.name]) } ?? [])
            let uploaded = uploads.filter { $0.field == f.name }
            let invalid = names.filter { name in !existing.contains(name) && !uploaded.contains(where: { $0.name == name }) }
            if !invalid.isEmpty {
                errors[f.name] = FieldError(
                    "validation_invalid_file", "Invalid new files: [\(invalid.joined(separator: " "))].",
                    params: JSONObject([("invalidFiles", .array(invalid.map(JSONValue.string)))]))
                continue
            }
            // Too many files is checked before any upload's size or type (FileField.ValidateValue's order).
            let maxSelect = max(f.int("maxSelect"), 1)
            if names.count > maxSelect {
                errors[f.name] = FieldError(
                    "validation_too_many_files", "The maximum allowed files is \(maxSelect)", params: JSONObject([("maxSelect", .number(Double(maxSelect)))]))
                continue
            }
            let maxSize = f.int("maxSize") > 0 ? f.int("maxSize") : 5 << 20
            let allowed = f.strings("mimeTypes")
            for u in uploaded where names.contains(u.name) {
                if u.data.count > maxSize {
                    errors[f.name] = FieldError(
                        "validation_file_size_limit", "Failed to upload \(u.original) - the maximum allowed file size is \(maxSize) bytes.",
                        params: JSONObject([("file", .string(u.original)), ("maxSize", .number(Double(maxSize)))]))
                    break
                }
                if !allowed.isEmpty, !MimeSniffer.matches(MimeSniffer.sniff(u.data), anyOf: allowed) {
                    errors[f.name] = FieldError(
                        "validation_invalid_mime_type", "\"\(u.name)\" mime type must be one of: \(allowed.joined(separator: ", ")).")
                    break
                }
            }
        }
        return errors
    }

    /// `@request.body` for rules: modifier keys replaced by the resolved values, hidden fields dropped for
    /// non-superusers (PocketBase's `recordDataFromRequest`).
    func bodyForRules(_ body: ParsedBody) -> JSONObject {
        var out = body.values
        for f in record.collection.fields {
            let keys = ["+" + f.name, f.name + "+", f.name + "-"]
            if keys.contains(where: { out[$0] != nil }) || (f.type == .file && body.files.keys.contains { $0.contains(f.name) }) {
                for k in keys { out[k] = nil }
                out[f.name] = record[f.name]
            }
            if f.hidden && !superuser && f.type != .password { out[f.name] = nil }
        }
        return out
    }

    /// Defaults that PocketBase fills before validation on create.
    mutating func prepareForSave(now: String) {
        let c = record.collection
        // pbSuperusersRecordSaveExec: superusers are always verified.
        if c.name == SystemCollection.superusers { record["verified"] = .bool(true) }
        for f in c.fields {
            if f.type == .autodate {
                // AutodateField.Intercept: a create sets only onCreate fields, an update only onUpdate fields.
                if isNew ? f.bool("onCreate") : f.bool("onUpdate") { record[f.name] = .string(now) }
                else if isNew { record[f.name] = .string("") }
            }
            if f.type == .text, isNew, record.string(f.name).isEmpty, !f.string("autogeneratePattern").isEmpty {
                record[f.name] = .string(Identifiers.generate(pattern: f.string("autogeneratePattern")))
            }
            if record.values[f.name] == nil { record[f.name] = Record.zero(f) }
        }
    }
}

/// PocketBase's stored filename scheme: `snake_base_<10 random>.ext`.
enum FileNames {
    static func normalize(_ original: String) -> String {
        let base = (original as NSString).lastPathComponent
        var ext = ""
        let lower = base.lowercased()
        for double in [".tar.gz", ".tar.bz2", ".tar.xz"] where lower.hasSuffix(double) {
            ext = String(base.suffix(double.count))
        }
        if ext.isEmpty, let dot = base.lastIndex(of: "."), dot != base.startIndex { ext = String(base[dot...]) }
        ext = String(ext.filter { $0.isLetter || $0.isNumber || "._*-+=#".contains($0) })
        var name = snakecase(String(base.dropLast(ext.count)))
        if name.count < 3 { name += Identifiers.random(10) }
        if name.count > 100 { name = String(name.prefix(100)) }
        return name + "_" + Identifiers.random(10) + ext
    }

    static func snakecase(_ s: String) -> String {
        var words: [String] = []
        var cur = ""
        var prevLower = false
        for ch in s {
            if ch.isLetter || ch.isNumber {
                if ch.isUppercase && prevLower && !cur.isEmpty { words.append(cur); cur = "" }
                cur.append(ch)
                prevLower = ch.isLowercase || ch.isNumber
            } else {
                if !cur.isEmpty { words.append(cur); cur = "" }
                prevLower = false
            }
        }
        if !cur.isEmpty { words.append(cur) }
        return words.joined(separator: "_").lowercased()
    }
}
