import Foundation
import GRDB

/// Builds record queries with filters, API rules and sorts through the filter engine.
public struct RecordQuery {
    let collection: CollectionModel
    let resolver: RecordFieldResolver
    var conditions: [SQLFragment] = []
    var orderBy: [String] = []

    static let maxFilterLength = 3500

    public init(_ c: CollectionModel, storage: Storage, request: RequestInfo?, allowHidden: Bool) {
        collection = c
        resolver = RecordFieldResolver(base: c, lookup: storage.collection, request: request, allowHiddenFields: allowHidden)
    }

    /// Adds a filter or rule expression (ANDed). Throws on syntax, unknown fields or limits.
    public mutating func addFilter(_ text: String) throws {
        guard text.count <= Self.maxFilterLength else { throw FilterResolveError(description: "filter too long") }
        let groups = try FilterParser.parse(text)
        conditions.append(try FilterSQLBuilder.build(groups, resolver: resolver))
    }

    /// Sort keys as PocketBase parses them (`-a,+b,@random,@rowid`).
    public mutating func addSort(_ sort: String) throws {
        for (name, dir) in try SortKeys.parse(sort) {
            if name == "@random" { orderBy.append("RANDOM()"); continue }
            if name == "@rowid" {
                // A view has no rowid: SQLite refuses the query ("no such column"), PocketBase answers 400.
                guard !collection.isView else { throw FilterResolveError(description: "views have no rowid") }
                orderBy.append("\(SQLQuote.ident(collection.name))._rowid_ \(dir)")
                continue
            }
            let r = try resolver.resolve(name)
            guard r.params.isEmpty, !r.identifier.isEmpty, r.identifier.lowercased() != "null" else {
                throw FilterResolveError(description: "invalid sort field \(name)")
            }
            orderBy.append("\(r.identifier) \(dir)")
        }
    }

    var table: String { SQLQuote.ident(collection.name) }

    /// FROM … JOIN … WHERE … with its parameters.
    var fromWhere: SQLFragment {
        var sql = "FROM \(table)"
        var params: [String: SQLValue] = [:]
        for j in resolver.joins {
            sql += " LEFT JOIN \(j.table) \(SQLQuote.ident(j.alias))"
            if let on = j.on {
                sql += " ON " + on.sql
                params.merge(on.params) { a, _ in a }
            }
        }
        if !conditions.isEmpty {
            sql += " WHERE " + conditions.map { "(\($0.sql))" }.joined(separator: " AND ")
            for c in conditions { params.merge(c.params) { a, _ in a } }
        }
        return SQLFragment(sql, params)
    }

    /// `table.*`, except that a view's json text columns are read as their bytes (numbers stay numbers): PocketBase reads every column as a
    /// string (NUL bytes included) before JSONField.PrepareValue, and GRDB reads TEXT as a C string.
    static func columns(_ c: CollectionModel, table: String) -> String {
        guard c.isView, c.fields.contains(where: { $0.type == .json }) else { return "\(table).*" }
        return c.fields.map { f in
            let col = "\(table).\(SQLQuote.ident(f.name))"
            guard f.type == .json else { return col }
            return "(CASE WHEN typeof(\(col)) = 'text' THEN CAST(\(col) AS BLOB) ELSE \(col) END) AS \(SQLQuote.ident(f.name))"
        }.joined(separator: ", ")
    }

    /// Joins make rows repeat, so PocketBase selects DISTINCT and counts DISTINCT ids.
    public func select(limit: Int? = nil, offset: Int = 0) -> SQLFragment {
        let fw = fromWhere
        var sql = "SELECT \(resolver.joins.isEmpty ? "" : "DISTINCT ")\(Self.columns(collection, table: table)) \(fw.sql)"
        if !orderBy.isEmpty { sql += " ORDER BY " + orderBy.joined(separator: ", ") }
        if let limit { sql += " LIMIT \(limit) OFFSET \(offset)" }
        return SQLFragment(sql, fw.params)
    }

    public func count() -> SQLFragment {
        let fw = fromWhere
        return SQLFragment("SELECT COUNT(DISTINCT \(table).\(SQLQuote.ident("id"))) \(fw.sql)", fw.params)
    }

    /// Adds `table.id = :id`.
    mutating func whereID(_ id: String) {
        conditions.insert(SQLFragment("\(Self.idColumn(collection, table: table)) = :__id", ["__id": .text(id)]), at: 0)
    }

    /// A view's id may be computed (`ROW_NUMBER() OVER()` is an integer without affinity, which never equals the text
    /// id of a URL); PocketBase finds `/records/1` there, so views compare the id as text.
    static func idColumn(_ c: CollectionModel, table: String) -> String {
        c.isView ? "CAST(\(table).\(SQLQuote.ident("id")) AS TEXT)" : "\(table).\(SQLQuote.ident("id"))"
    }
}

extension SQLFragment {
    var arguments: StatementArguments {
        var dict: [String: (any DatabaseValueConvertible)?] = [:]
        for (k, v) in params {
            switch v {
            case .null: dict[k] = nil as String?
            case .integer(let i): dict[k] = i
            case .real(let d): dict[k] = d
            case .text(let s): dict[k] = s
            }
        }
        return StatementArguments(dict)
    }
}

