import Foundation

/// PocketBase 0.23's JS migration API (`migrate((app) => …)`): the app, collections, their fields.
enum MigrationHosts {
    typealias Value = JSSubset.Value
    typealias Failure = JSSubset.Failure

    /// The field types' JS constructors (`new TextField({...})`) and the type each sets.
    static let fieldConstructors: [String: FieldType] = [
        "TextField": .text, "NumberField": .number, "BoolField": .bool, "EmailField": .email, "URLField": .url,
        "EditorField": .editor, "DateField": .date, "AutodateField": .autodate, "SelectField": .select,
        "RelationField": .relation, "FileField": .file, "JSONField": .json, "PasswordField": .password,
    ]

    /// `app`
    final class App: JSSubset.Host {
        let session: MigrationSession
        init(_ session: MigrationSession) { self.session = session }
        var typeName: String { "app" }

        func call(_ method: String, _ args: [Value], line: Int) throws -> Value {
            switch method {
            case "findCollectionByNameOrId":
                guard case .string(let key)? = args.first else { throw Failure("findCollectionByNameOrId needs a name or id", line: line) }
                guard let c = try session.find(key) else { throw Failure("sql: no rows in result set (collection \(key.debugDescription))", line: line) }
                return .host(Collection(c.apiJSON().objectValue ?? JSONObject()))
            case "save", "saveNoValidate":
                guard case .host(let h)? = args.first, let c = h as? Collection else {
                    throw Failure("app.\(method)() of \(args.first?.typeName ?? "nothing") is not supported (only collections)", line: line)
                }
                try session.save(c.jsonObject(), line: line)
                return .null
            case "delete":
                guard case .host(let h)? = args.first, let c = h as? Collection else {
                    throw Failure("app.delete() of \(args.first?.typeName ?? "nothing") is not supported (only collections)", line: line)
                }
                try session.delete(id: c.id, line: line)
                return .null
            case "importCollections":
                guard let list = args.first?.json?.arrayValue else { throw Failure("importCollections needs an array of collections", line: line) }
                try session.importCollections(list, deleteMissing: args.count > 1 && args[1].truthy, line: line)
                return .null
            default:
                throw Failure("app.\(method)() is not supported in migration files", line: line)
            }
        }
    }

    /// A collection: its data (every key but `fields`) as JS values, so nested options change in place
    /// (`collection.oauth2.enabled = true`), and its fields as shared field objects.
    final class Collection: JSSubset.Host {
        var data: JSSubset.ObjectBox
        var fields: [Field]

        init(_ json: JSONObject) {
            var rest = json
            let fieldList = rest["fields"]?.arrayValue ?? []
            rest["fields"] = nil
            data = JSSubset.ObjectBox(rest)
            fields = fieldList.compactMap { $0.objectValue.map(Field.init) }
        }

        var typeName: String { "collection" }
        var id: String { if case .string(let s)? = data["id"] { s } else { "" } }

        func jsonObject() -> JSONObject {
            var o = Value.object(data).json?.objectValue ?? JSONObject()
            o["fields"] = .array(fields.map { .object($0.jsonObject()) })
            return o
        }

        func json() -> JSONValue? { .object(jsonObject()) }

        func get(_ name: String, line: Int) throws -> Value {
            if name == "fields" { return .host(FieldsList(self)) }
            return data[name] ?? .undefined
        }

        func set(_ name: String, _ value: Value, line: Int) throws {
            if name == "fields" {
                guard let list = value.json?.arrayValue else { throw Failure("collection.fields must be an array", line: line) }
                fields = list.compactMap { $0.objectValue.map(Field.init) }
                return
            }
            data[name] = value
        }

        /// `unmarshal(data, collection)`: like json.Unmarshal into the struct — objects merge, the rest replaces.
        func unmarshal(_ json: JSONObject, line: Int) throws {
            for (key, value) in json.pairs {
                if key == "fields" {
                    try set("fields", Value(value), line: line)
                } else {
                    data[key] = Self.merge(data[key], value)
                }
            }
        }

        static func merge(_ old: Value?, _ new: JSONValue) -> Value {
            guard case .object(let box)? = old, case .object(let o) = new else { return Value(new) }
            for (k, v) in o.pairs { box[k] = merge(box[k], v) }
            return .object(box)
        }
    }

    /// A field; the same object wherever it is reached from (`getById` then `field.required = true`).
    final class Field: JSSubset.Host {
        var data: JSSubset.ObjectBox
        init(_ json: JSONObject) {
            data = JSSubset.ObjectBox(json)
        }
        var typeName: String { "field" }
        var id: String { if case .string(let s)? = data["id"] { s } else { "" } }
        var name: String { if case .string(let s)? = data["name"] { s } else { "" } }
        var type: String { if case .string(let s)? = data["type"] { s } else { "" } }

        func jsonObject() -> JSONObject { Value.object(data).json?.objectValue ?? JSONObject() }
        func json() -> JSONValue? { .object(jsonObject()) }
        func get(_ name: String, line: Int) throws -> Value { data[name] ?? .undefined }
        func set(_ name: String, _ value: Value, line: Int) throws { data[name] = value }

        func call(_ method: String, _ args: [Value], line: Int) throws -> Value {
            switch method {
            case "getId": return .string(id)
            case "getName": return .string(name)
            case "type": return .string(type)
            case "setId": data["id"] = args.first ?? .string(""); return .undefined
            case "setName": data["name"] = args.first ?? .string(""); return .undefined
            default: throw Failure("field.\(method)() is not supported", line: line)
            }
        }
    }

    /// `collection.fields`: core/fields_list.go's list operations.
    final class FieldsList: JSSubset.Host {
        let collection: Collection
        init(_ collection: Collection) { self.collection = collection }
        var typeName: String { "collection.fields" }

        func get(_ name: String, line: Int) throws -> Value {
            if name == "length" { return .number(Double(collection.fields.count)) }
            throw Failure("collection.fields.\(name) is not supported", line: line)
        }

        func json() -> JSONValue? { .array(collection.fields.map { .object($0.jsonObject()) }) }

        func call(_ method: String, _ args: [Value], line: Int) throws -> Value {
            func field(_ v: Value) throws -> Field {
                if case .host(let h) = v, let f = h as? Field { return f }
                if case .object = v, let o = v.json?.objectValue { return Field(o) }
                throw Failure("\(method)() expects fields, got \(v.typeName)", line: line)
            }
            func position(_ v: Value?) throws -> Int {
                guard case .number(let n)? = v, let i = Int(exactly: n) else { throw Failure("\(method)() needs a position", line: line) }
                return i
            }
            func marshaled(_ v: Value?) throws -> [Field] {
                guard case .string(let s)? = v, let parsed = try? JSONValue.parse(s) else { throw Failure("\(method)() needs JSON text", line: line) }
                let list = parsed.arrayValue ?? [parsed]
                return list.compactMap { $0.objectValue.map(Field.init) }
            }
            switch method {
            case "add":
                for a in args { add(-1, try field(a)) }
                return .undefined
            case "addAt":
                try addAt(try position(args.first), try args.dropFirst().map(field))
                return .undefined
            case "addMarshaledJSON":
                for f in try marshaled(args.first) { add(-1, f) }
                return .undefined
            case "addMarshaledJSONAt":
                try addAt(try position(args.first), try marshaled(args.dropFirst().first))
                return .undefined
            case "removeById":
                if case .string(let id)? = args.first, let i = collection.fields.firstIndex(where: { $0.id == id }) { collection.fields.remove(at: i) }
                return .undefined
            case "removeByName":
                if case .string(let n)? = args.first, let i = collection.fields.firstIndex(where: { $0.name == n }) { collection.fields.remove(at: i) }
                return .undefined
            case "getById":
                guard case .string(let id)? = args.first else { return .null }
                return collection.fields.first { $0.id == id }.map { .host($0) } ?? .null
            case "getByName":
                guard case .string(let n)? = args.first else { return .null }
                return collection.fields.first { $0.name == n }.map { .host($0) } ?? .null
            case "fieldNames":
                return .array(JSSubset.ArrayBox(collection.fields.map { .string($0.name) }))
            default:
                throw Failure("collection.fields.\(method)() is not supported", line: line)
            }
        }

        func addAt(_ pos: Int, _ list: [Field]) throws {
            let total = collection.fields.count
            for (i, f) in list.enumerated() {
                if pos < 0 { add(-1, f) } else if pos > total { add(total + i, f) } else { add(pos + i, f) }
            }
        }

        /// FieldsList.add: a field without id gets `type + crc32(name)` (made unique) and replaces the field of the
        /// same name; one with an id replaces the field with that id — in place for `add`, moved for `addAt`.
        func add(_ requested: Int, _ newField: Field) {
            var fields = collection.fields
            let replaceInPlace = requested < 0
            var pos = requested < 0 ? fields.count : min(requested, fields.count)
            var replaceByName = false
            if newField.id.isEmpty {
                replaceByName = true
                let base = Identifiers.fieldID(type: newField.type, name: newField.name)
                var candidate = base
                for i in 2..<1000 where fields.contains(where: { $0.id == candidate }) { candidate = base + String(i) }
                newField.data["id"] = .string(candidate)
            }
            for (i, existing) in fields.enumerated() {
                let same = replaceByName ? (!newField.name.isEmpty && existing.name == newField.name) : existing.id == newField.id
                guard same else { continue }
                if replaceByName { newField.data["id"] = .string(existing.id) }
                if replaceInPlace {
                    fields[i] = newField
                    collection.fields = fields
                    return
                }
                fields.remove(at: i)
                pos = min(pos, fields.count)
                break
            }
            fields.insert(newField, at: pos)
            collection.fields = fields
        }
    }
}
