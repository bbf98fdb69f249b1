import Foundation
import Hummingbird
import HummingbirdCore

/// `page`, `perPage`, `sort`, `skipTotal` parsed with PocketBase's rules.
struct ListQuery {
    var page = 1
    var perPage = 30
    var skipTotal = false
    var filter = ""

    static let maxPerPage = 1000

    var sort = ""

    init(_ uri: URI, superuser: Bool) throws {
        let q = uri.queryParams
        filter = q["filter"] ?? ""
        sort = q["sort"] ?? ""
        // PocketBase checks the superuser-only fields before it parses the paging.
        if !superuser {
            for text in [filter, sort] {
                if text.contains("@collection.") { throw APIError.forbidden("Only superusers can filter by @collection.") }
                if text.contains("@request.") { throw APIError.forbidden("Only superusers can filter by @request.") }
            }
        }
        if let p = q["page"], !p.isEmpty {
            guard let v = Int(p) else { throw APIError.badRequest() }
            page = v <= 0 ? 1 : v
        }
        if let p = q["perPage"], !p.isEmpty {
            guard let v = Int(p) else { throw APIError.badRequest() }
            perPage = v <= 0 ? 30 : min(v, Self.maxPerPage)
        }
        if let s = q["skipTotal"], !s.isEmpty {
            guard let b = Self.parseBool(s) else { throw APIError.badRequest() }
            skipTotal = b
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

    /// Go's `perPage * (page - 1)` wraps on overflow, and dbx leaves out an OFFSET that is not positive: a
    /// huge page number then lists the first page, exactly like PocketBase.
    var offset: Int {
        let wrapped = perPage &* (page &- 1)
        return wrapped > 0 ? wrapped : 0
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

