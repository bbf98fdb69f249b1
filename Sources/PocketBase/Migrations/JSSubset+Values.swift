import Foundation

extension JSSubset {
    /// A value while a file is evaluated. Objects and arrays are references, as in JavaScript: a field fetched with
    /// `getById` and then changed is changed in its collection.
    enum Value {
        case undefined, null
        case bool(Bool)
        case number(Double)
        case string(String)
        case object(ObjectBox)
        case array(ArrayBox)
        case function(Function)
        case native(Native)
        case host(any Host)
    }

    /// A function the host provides (`migrate`, `unmarshal`, a method value).
    final class Native {
        let name: String
        let body: ([Value], Int) throws -> Value
        init(_ name: String, _ body: @escaping ([Value], Int) throws -> Value) {
            self.name = name
            self.body = body
        }
    }

    final class ObjectBox {
        var pairs: [(key: String, value: Value)]
        init(_ pairs: [(key: String, value: Value)] = []) { self.pairs = pairs }
        convenience init(_ json: JSONObject) { self.init(json.pairs.map { ($0.key, Value($0.value)) }) }
        subscript(_ key: String) -> Value? {
            get { pairs.first { $0.key == key }?.value }
            set {
                if let i = pairs.firstIndex(where: { $0.key == key }) {
                    if let newValue { pairs[i].value = newValue } else { pairs.remove(at: i) }
                } else if let newValue {
                    pairs.append((key, newValue))
                }
            }
        }
    }

    final class ArrayBox {
        var items: [Value]
        init(_ items: [Value]) { self.items = items }
    }

    /// An arrow function with the bindings it closed over.
    final class Function {
        let params: [String]
        let body: [Stmt]
        let scope: Scope
        init(params: [String], body: [Stmt], scope: Scope) {
            self.params = params
            self.body = body
            self.scope = scope
        }
    }

    /// Variables of a block, chained to the enclosing one.
    final class Scope {
        var vars: [String: Value] = [:]
        let parent: Scope?
        init(parent: Scope?) { self.parent = parent }

        func lookup(_ name: String) -> Value? { vars[name] ?? parent?.lookup(name) }

        func assign(_ name: String, _ v: Value) -> Bool {
            if vars[name] != nil { vars[name] = v; return true }
            return parent?.assign(name, v) ?? false
        }
    }

    /// A host object (the app, a collection, its fields, a field, a DAO): properties and methods backed by the engine.
    protocol Host: AnyObject {
        var typeName: String { get }
        func get(_ name: String, line: Int) throws -> Value
        func set(_ name: String, _ value: Value, line: Int) throws
        func call(_ method: String, _ args: [Value], line: Int) throws -> Value
        /// The JSON the host stands for when it is passed where data is expected (`unmarshal`, `importCollections`).
        func json() -> JSONValue?
    }
}

extension JSSubset.Host {
    func get(_ name: String, line: Int) throws -> JSSubset.Value {
        throw JSSubset.Failure("\(typeName).\(name) is not supported in migration files (only schema changes are)", line: line)
    }
    func set(_ name: String, _ value: JSSubset.Value, line: Int) throws {
        throw JSSubset.Failure("cannot set `\(name)` on \(typeName)", line: line)
    }
    func call(_ method: String, _ args: [JSSubset.Value], line: Int) throws -> JSSubset.Value {
        throw JSSubset.Failure("\(typeName).\(method)() is not supported", line: line)
    }
    func json() -> JSONValue? { nil }
}

extension JSSubset.Value {
    /// Data values as JSON (functions and hosts without data are nil). Assignment can make objects cyclic
    /// (`a.self = a`) or share them exponentially: a reference back into its own path is null, and past a million
    /// nodes the rest is null, so the conversion always ends.
    var json: JSONValue? {
        var budget = 1_000_000
        var path = Set<ObjectIdentifier>()
        return json(budget: &budget, path: &path)
    }

    func json(budget: inout Int, path: inout Set<ObjectIdentifier>) -> JSONValue? {
        budget -= 1
        guard budget > 0 else { return .null }
        switch self {
        case .undefined: return nil
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .object(let o):
            guard path.insert(ObjectIdentifier(o)).inserted else { return .null }
            defer { path.remove(ObjectIdentifier(o)) }
            var out = JSONObject()
            for p in o.pairs { if let v = p.value.json(budget: &budget, path: &path) { out[p.key] = v } }
            return .object(out)
        case .array(let a):
            guard path.insert(ObjectIdentifier(a)).inserted else { return .null }
            defer { path.remove(ObjectIdentifier(a)) }
            var out: [JSONValue] = []
            for item in a.items { out.append(item.json(budget: &budget, path: &path) ?? .null) }
            return .array(out)
        case .function, .native: return nil
        case .host(let h): return h.json()
        }
    }

    /// A fresh JavaScript value for JSON data.
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(JSSubset.ArrayBox(a.map(JSSubset.Value.init)))
        case .object(let o): self = .object(JSSubset.ObjectBox(o))
        }
    }

    var truthy: Bool {
        switch self {
        case .undefined, .null: false
        case .bool(let b): b
        case .number(let n): n != 0 && !n.isNaN
        case .string(let s): !s.isEmpty
        default: true
        }
    }

    var typeName: String {
        switch self {
        case .undefined: "undefined"
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .object: "an object"
        case .array: "an array"
        case .function, .native: "a function"
        case .host(let h): h.typeName
        }
    }
}
