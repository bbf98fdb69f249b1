import Foundation
import Hummingbird
import HummingbirdCore

/// `page`, `perPage`, `sort`, `skipTotal` parsed with PocketBase's rules.
struct ListQuery {
    var page = 1
    var perPage = 30
    var skipTotal = false
    var orderBy: [String] = []
    var filter = ""

    static let maxPerPage = 1000

    init(_ uri: URI, collection c: Collection, superuser: Bool, sortable: Set<String>? = nil) throws {
        let q = uri.queryParameters
        if let p = q["page"].map(String.init), !p.isEmpty {
            guard let v = Int(p) else { throw APIError.badRequest() }
            page = v <= 0 ? 1 : v
        }
        if let p = q["perPage"].map(String.init), !p.isEmpty {
            guard let v = Int(p) else { throw APIError.badRequest() }
            perPage = v <= 0 ? 30 : min(v, Self.maxPerPage)
        }
        if let s = q["skipTotal"].map(String.init), !s.isEmpty {
            guard let b = Self.parseBool(s) else { throw APIError.badRequest() }
            skipTotal = b
        }
        filter = q["filter"].map(String.init) ?? ""
        let sort = q["sort"].map(String.init) ?? ""
        if !superuser {
            for text in [filter, sort] {
                if text.contains("@collection.") { throw APIError.forbidden("Only superusers can filter by @collection.") }
                if text.contains("@request.") { throw APIError.forbidden("Only superusers can filter by @request.") }
            }
        }
        if !sort.isEmpty {
            let parts = sort.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard parts.count <= 8 else { throw APIError.badRequest() }
            for part in parts {
                guard part.count <= 255 else { throw APIError.badRequest() }
                var name = part
                var dir = "ASC"
                if name.hasPrefix("-") { dir = "DESC"; name.removeFirst() } else if name.hasPrefix("+") { name.removeFirst() }
                switch name {
                case "@random": orderBy.append("RANDOM()")
                case "@rowid": orderBy.append("[[_rowid_]] \(dir)")
                default:
                    if let sortable {
                        guard sortable.contains(name) else { throw APIError.badRequest() }
                        orderBy.append("\(Storage.quote(name)) \(dir)")
                        continue
                    }
                    guard let f = c.field(name), superuser || !f.hidden, f.type != "password" else { throw APIError.badRequest() }
                    orderBy.append("\(Storage.quote(c.name)).\(Storage.quote(name)) \(dir)")
                }
            }
        }
    }

    /// Go's strconv.ParseBool.
    static func parseBool(_ s: String) -> Bool? {
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": true
        case "0", "f", "F", "FALSE", "false", "False": false
        default: nil
        }
    }

    func envelope(items: [JSONValue], total: Int?) -> JSONValue {
        let totalItems = skipTotal ? -1 : (total ?? 0)
        let totalPages = skipTotal ? -1 : Int((Double(totalItems) / Double(perPage)).rounded(.up))
        return .object(JSONObject([
            ("items", .array(items)), ("page", .number(Double(page))), ("perPage", .number(Double(perPage))),
            ("totalItems", .number(Double(totalItems))), ("totalPages", .number(Double(totalPages))),
        ]))
    }
}

/// `?fields=a,b,*` projection, applied to every JSON success response.
enum FieldsProjection {
    static func apply(_ value: JSONValue, fields: String?) -> JSONValue {
        guard let fields, !fields.trimmingCharacters(in: .whitespaces).isEmpty else { return value }
        let paths = fields.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return pick(value, paths: paths.map { $0.split(separator: ".").map(String.init) })
    }

    static func pick(_ value: JSONValue, paths: [[String]]) -> JSONValue {
        switch value {
        case .array(let a): return .array(a.map { pick($0, paths: paths) })
        case .object(let o):
            var out = JSONObject()
            let all = paths.contains { $0.first == "*" && $0.count == 1 }
            for (k, v) in o {
                let sub = paths.filter { $0.first == k || $0.first == "*" }
                if all && sub.allSatisfy({ $0.count == 1 }) { out[k] = v; continue }
                guard !sub.isEmpty else { continue }
                if sub.contains(where: { $0.count == 1 }) { out[k] = v } else {
                    out[k] = pick(v, paths: sub.map { Array($0.dropFirst()) })
                }
            }
            return .object(out.sorted())
        default: return value
        }
    }
}
