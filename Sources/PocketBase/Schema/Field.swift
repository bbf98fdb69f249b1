import Foundation

/// A collection field, kept as the raw option object PocketBase stores so it round-trips unchanged.
public struct Field: Sendable, Equatable {
    public var raw: JSONObject

    public init(raw: JSONObject) { self.raw = raw.sorted() }

    public var id: String { raw["id"]?.stringValue ?? "" }
    public var name: String { raw["name"]?.stringValue ?? "" }
    /// The `type` as written in the JSON.
    public var typeName: String { raw["type"]?.stringValue ?? "" }
    /// The type; an unknown one (refused on import) behaves as text.
    public var type: FieldType { FieldType(rawValue: typeName) ?? .text }
    public var hidden: Bool { raw["hidden"]?.boolValue ?? false }
    public var system: Bool { raw["system"]?.boolValue ?? false }
    public var required: Bool { raw["required"]?.boolValue ?? false }

    public func string(_ key: String) -> String { raw[key]?.stringValue ?? "" }
    public func bool(_ key: String) -> Bool { raw[key]?.boolValue ?? false }
    public func number(_ key: String) -> Double? { raw[key]?.numberValue }
    public func int(_ key: String) -> Int { Int(saturating: raw[key]?.numberValue ?? 0) }
    public func strings(_ key: String) -> [String] { raw[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// select/relation/file with maxSelect > 1 hold a JSON array; everything else a scalar.
    public var isMultiple: Bool {
        type.canHoldMany && int("maxSelect") > 1
    }

    /// SQLite column definition PocketBase uses for this field type.
    public var columnDefinition: String {
        if name == "id" { return "TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL" }
        switch type {
        case .number: return "NUMERIC DEFAULT 0 NOT NULL"
        case .bool: return "BOOLEAN DEFAULT FALSE NOT NULL"
        case .json: return "JSON DEFAULT NULL"
        case .select, .relation, .file: return isMultiple ? "JSON DEFAULT '[]' NOT NULL" : "TEXT DEFAULT '' NOT NULL"
        default: return "TEXT DEFAULT '' NOT NULL"
        }
    }

    static let knownTypes = Set(FieldType.allCases.map(\.rawValue))
}

extension Field {
    /// Builds a field with PocketBase's defaults for its type (used for system collections and new fields).
    static func make(_ type: String, _ name: String, system: Bool = false, hidden: Bool = false, _ extra: [String: JSONValue] = [:])
        -> Field
    {
        var o = JSONObject([
            ("id", .string(Identifiers.fieldID(type: type, name: name))), ("name", .string(name)), ("type", .string(type)),
            ("system", .bool(system)), ("hidden", .bool(hidden)), ("presentable", false),
        ])
        switch type {
        case "text":
            for (k, v) in [("min", JSONValue(0)), ("max", 0), ("pattern", ""), ("autogeneratePattern", ""), ("primaryKey", false), ("required", false)] { o[k] = v }
        case "bool": o["required"] = false
        case "email", "url": o["exceptDomains"] = .null; o["onlyDomains"] = .null; o["required"] = false
        case "autodate": o["onCreate"] = true; o["onUpdate"] = false
        case "password": for (k, v) in [("min", JSONValue(8)), ("max", 0), ("pattern", ""), ("cost", 0), ("required", true)] { o[k] = v }
        default: break
        }
        for (k, v) in extra { o[k] = v }
        return Field(raw: o)
    }

    /// The options of each field type's Go struct with their zero values: what PocketBase serialises for a field
    /// submitted without them (unknown keys are dropped, as unmarshalling into the struct does).
    static let zeroOptions: [String: [(String, JSONValue)]] = [
        "text": [("min", 0), ("max", 0), ("pattern", ""), ("autogeneratePattern", ""), ("required", false), ("primaryKey", false)],
        "number": [("min", nil), ("max", nil), ("onlyInt", false), ("required", false)],
        "bool": [("required", false)],
        "email": [("exceptDomains", nil), ("onlyDomains", nil), ("required", false)],
        "url": [("exceptDomains", nil), ("onlyDomains", nil), ("required", false)],
        "editor": [("maxSize", 0), ("convertURLs", false), ("required", false)],
        "date": [("min", ""), ("max", ""), ("required", false)],
        "autodate": [("onCreate", false), ("onUpdate", false)],
        "select": [("values", nil), ("maxSelect", 0), ("required", false)],
        "json": [("maxSize", 0), ("required", false)],
        "file": [("maxSize", 0), ("maxSelect", 0), ("mimeTypes", nil), ("thumbs", nil), ("protected", false), ("required", false)],
        "relation": [("collectionId", ""), ("cascadeDelete", false), ("minSelect", 0), ("maxSelect", 0), ("required", false)],
        "password": [("pattern", ""), ("min", 0), ("max", 0), ("cost", 0), ("required", false)],
    ]

    /// A field as PocketBase's API stores a submitted one: common keys, the type's options (zero when absent),
    /// nothing else.
    static func decoded(_ type: String, _ submitted: JSONObject) -> Field {
        var o = JSONObject([("id", ""), ("name", ""), ("system", false), ("hidden", false), ("presentable", false), ("type", .string(type))])
        for (k, v) in zeroOptions[type] ?? [] { o[k] = v }
        for (k, v) in submitted where o.contains(k) && k != "type" { o[k] = v }
        return Field(raw: o)
    }

    static func idField(autogenerate: String = "[a-z0-9]{15}", min: Int = 15, max: Int = 15) -> Field {
        make("text", "id", system: true, [
            "autogeneratePattern": .string(autogenerate), "max": .number(Double(max)), "min": .number(Double(min)),
            "pattern": "^[a-z0-9]+$", "primaryKey": true, "required": true,
        ])
    }
}
