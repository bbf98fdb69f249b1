import Foundation
import GRDB

extension Storage {
    public static func fetch(_ db: Database, _ c: CollectionModel, _ s: SQLFragment) throws -> [Record] {
        try Row.fetchAll(db, sql: s.sql, arguments: s.arguments).map { Record(collection: c, row: $0) }
    }

    /// `fetch` through the connection's prepared-statement cache: only for SQL whose text cannot vary with the
    /// client's input (GRDB keeps every text it has prepared).
    static func fetchPrepared(_ db: Database, _ c: CollectionModel, _ s: SQLFragment) throws -> [Record] {
        try Row.fetchAll(try db.cachedStatement(sql: s.sql), arguments: s.arguments).map { Record(collection: c, row: $0) }
    }

    public static func count(_ db: Database, _ s: SQLFragment) throws -> Int {
        try Int.fetchOne(db, sql: s.sql, arguments: s.arguments) ?? 0
    }

    /// SQL selecting the record `id` when it satisfies `rule` (nil or "" = no condition). Throws for invalid rules.
    func ruleQuery(_ c: CollectionModel, id: String, rule: String?, request: RequestInfo) throws -> SQLFragment {
        var q = RecordQuery(c, storage: self, request: request, allowHidden: true)
        q.whereID(id)
        if let rule, !rule.isEmpty { try q.addFilter(rule) }
        return q.select(limit: 1)
    }
}
