import Foundation
import GRDB

/// A record of a collection with its values normalised per field type.
public struct Record: Sendable {
    public let collection: CollectionModel
    public var values: [String: JSONValue]
    /// False when a json column held text PocketBase cannot encode (see `preparedJSONText`): it answers such a read
    /// with an empty-bodied 200.
    public var marshalable = true

    public init(collection: CollectionModel, values: [String: JSONValue] = [:]) {
        self.collection = collection
        self.values = values
    }

    public init(collection: CollectionModel, row: Row) {
        self.collection = collection
        var v: [String: JSONValue] = [:]
        for f in collection.fields where row.hasColumn(f.name) {
            let dv = row[f.name] as DatabaseValue
            if f.type == .json, case .blob(let data) = dv.storage {
                let prepared = Self.preparedJSONText(data)  // once: the value and whether PocketBase could encode it
                v[f.name] = prepared.value
                if !prepared.marshalable { marshalable = false }
            } else {
                v[f.name] = Self.fromDatabase(dv, field: f)
            }
        }
        self.values = v
    }

    public var id: String { values["id"]?.stringValue ?? "" }

    public subscript(_ name: String) -> JSONValue {
        get {
            if let v = values[name] { return v }
            return collection.field(name).map(Self.zero) ?? .null
        }
        set { values[name] = newValue }
    }

    public func string(_ name: String) -> String { self[name].stringValue ?? "" }

    /// The empty value of a field type as PocketBase exports it.
    public static func zero(_ f: Field) -> JSONValue {
        switch f.type {
        case .number: .number(0)
        case .bool: .bool(false)
        case .json: .null
        default: f.isMultiple ? .array([]) : .string("")
        }
    }

    static func fromDatabase(_ dv: DatabaseValue, field f: Field) -> JSONValue {
        switch f.type {
        case .number:
            switch dv.storage {
            case .int64(let i): return .number(Double(i))
            case .double(let d): return .number(d)
            case .string(let s): return .number(Double(s) ?? 0)
            default: return .number(0)
            }
        case .bool:
            switch dv.storage {
            case .int64(let i): return .bool(i != 0)
            case .double(let d): return .bool(d != 0)
            case .string(let s): return .bool(s == "1" || s.lowercased() == "true")
            default: return .bool(false)
            }
        case .json:
            // The column's JSON type has NUMERIC affinity: SQLite stores the text `42` as an integer.
            switch dv.storage {
            case .int64(let i): return .number(Double(i))
            case .double(let d): return .number(d)
            default: break
            }
            // JSONField.PrepareValue: empty or non-JSON text (a view's computed column) is a JSON string.
            if case .blob(let data) = dv.storage { return preparedJSONText(data).value }
            guard let s = String.fromDatabaseValue(dv) else { return .null }
            return preparedJSONText(Data(s.utf8)).value
        default:
            let s: String
            switch dv.storage {
            case .string(let str): s = str
            case .int64(let i): s = String(i)
            case .double(let d): s = JSONValue.formatNumber(d)
            case .blob(let data): s = String(decoding: data, as: UTF8.self)
            case .null: s = ""
            }
            if f.isMultiple {
                if s.isEmpty { return .array([]) }
                if let arr = (try? JSONValue.parseStrict(s))?.arrayValue { return .array(arr.map { .string($0.stringValue ?? "") }) }
                return .array([.string(s)])
            }
            return .string(s)
        }
    }

    /// The value bound into SQL for a field.
    public static func toDatabase(_ v: JSONValue, field f: Field) -> (any DatabaseValueConvertible)? {
        switch f.type {
        case .number: return v.numberValue ?? 0
        case .bool: return (v.boolValue ?? false) ? 1 : 0
        case .json: return v.isNull ? nil : v.encoded()
        default:
            if f.isMultiple { return JSONValue.array(v.arrayValue ?? []).encoded() }
            // GRDB binds and reads TEXT as C strings (a NUL ends them); such a value goes in as its UTF-8 bytes (a BLOB,
            // which reads back as text) so nothing after the NUL is lost.
            let s = v.stringValue ?? ""
            if s.utf8.contains(0) { return Data(s.utf8) }
            return s
        }
    }

    /// Record JSON as PocketBase exports it: visible fields + collectionId/collectionName, keys sorted.
    public func export(superuser: Bool, requesterID: String? = nil, expand: JSONObject? = nil, showEmail: Bool = false) -> JSONObject {
        var o = JSONObject()
        o["collectionId"] = .string(collection.id)
        o["collectionName"] = .string(collection.name)
        let ownRecord = requesterID != nil && requesterID == id
        for f in collection.fields {
            if f.type == .password || (collection.isAuth && f.name == "tokenKey") { continue }
            if f.hidden && !superuser { continue }
            if collection.isAuth && f.name == "email" && !superuser && !ownRecord && !showEmail && !(self["emailVisibility"].boolValue ?? false) {
                continue
            }
            o[f.name] = self[f.name]
        }
        if let expand { o["expand"] = .object(expand) }
        return o.sorted()
    }
}
