import Foundation

/// PocketBase's per-type value normalisation (spf13/cast semantics: bad input coerces, it doesn't fail).
enum Coerce {
    static func toString(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): s
        case .number(let n): JSONValue.formatNumber(n)
        case .bool(let b): b ? "true" : "false"
        default: ""
        }
    }

    static func toNumber(_ v: JSONValue) -> Double {
        switch v {
        case .number(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .string(let s):
            guard let d = Double(s), !s.contains(where: { $0 == " " }) else { return 0 }
            return d
        default: return 0
        }
    }

    static func toBool(_ v: JSONValue) -> Bool {
        switch v {
        case .bool(let b): return b
        case .number(let n): return n != 0
        case .string(let s): return ["1", "t", "T", "TRUE", "true", "True"].contains(s)
        default: return false
        }
    }

    /// select/relation/file input → deduplicated list of strings (string, array, or JSON-array string).
    static func toList(_ v: JSONValue) -> [String] {
        var items: [String]
        switch v {
        case .array(let a): items = a.map(toString)
        case .string(let s):
            if s.isEmpty { items = [] } else if s.hasPrefix("["), let arr = (try? JSONValue.parseStrict(s))?.arrayValue {
                items = arr.map(toString)
            } else {
                items = [s]
            }
        case .null: items = []
        default: items = [toString(v)]
        }
        var seen = Set<String>()
        return items.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// JSONField.PrepareValue: plain strings become JSON when they look like it (see `Record.preparedJSONText`).
    static func json(_ v: JSONValue) -> JSONValue {
        guard case .string(let s) = v else { return v }
        return Record.preparedJSONText(Data(s.utf8)).value
    }

    /// Normalises a submitted value for a field.
    static func value(_ v: JSONValue, for f: Field) -> JSONValue {
        switch f.type {
        case .text, .email, .url, .editor, .password: return .string(toString(v))
        case .number: return .number(toNumber(v))
        case .bool: return .bool(toBool(v))
        case .date:
            // Go's zero time is an empty DateTime (`String()` is ""), so it is blank for `required` too.
            if case .string(let s) = v {
                let normalized = PBDate.normalize(s)
                return .string(normalized == "0001-01-01 00:00:00.000Z" ? "" : normalized)
            }
            return .string("")
        case .json: return json(v)
        case .select, .relation, .file:
            let list = toList(v)
            return f.isMultiple ? .array(list.map(JSONValue.string)) : .string(list.last ?? "")
        default: return v
        }
    }

    static func list(_ v: JSONValue) -> [String] {
        switch v {
        case .array(let a): a.compactMap(\.stringValue)
        case .string(let s): s.isEmpty ? [] : [s]
        default: []
        }
    }
}
