import Foundation
import GRDB
import Hummingbird

/// `GET /api/logs`, `/api/logs/stats`, `/api/logs/{id}` (superusers): the `_logs` table through PocketBase's search
/// provider (filter and sort fields `id, created, level, message, data, data.*`).
struct LogsController {
    let storage: Storage

    /// Go's `\w` is ASCII.
    static let filterFields = ["id", "created", "level", "message", "data", #"^data\.[A-Za-z0-9_\.\:]*[A-Za-z0-9_]+$"#]

    func register(on router: Router<AppRequestContext>) {
        router.get("api/logs", use: list)
        router.get("api/logs/stats", use: stats)
        router.get("api/logs/:id", use: view)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        let q = try ListQuery(request.uri, superuser: true)
        let resolver = SimpleFieldResolver(Self.filterFields)
        var whereSQL = SQLFragment("")
        var orderBy: [String] = []
        do {
            if !q.filter.isEmpty { whereSQL = try Self.whereClause(q.filter, resolver: resolver) }
            if !q.sort.isEmpty { orderBy = try Self.sortTerms(q.sort, resolver: resolver) }
        } catch { throw APIError.badRequest() }
        var sql = "SELECT id, created, data, message, level FROM _logs" + whereSQL.sql
        if !orderBy.isEmpty { sql += " ORDER BY " + orderBy.joined(separator: ", ") }
        sql += " LIMIT \(q.perPage) OFFSET \(q.offset)"
        let select = SQLFragment(sql, whereSQL.params)
        let count = q.skipTotal ? nil : SQLFragment("SELECT COUNT(*) FROM _logs" + whereSQL.sql, whereSQL.params)
        try? await storage.logs.flush()
        let (items, total): ([JSONValue], Int?)
        do {
            (items, total) = try await storage.logs.read { db in
                let rows = try Row.fetchAll(db, sql: select.sql, arguments: select.arguments).map(Self.json)
                return (rows, try count.map { try Storage.count(db, $0) })
            }
        } catch { throw APIError.badRequest() }
        guard case .object(let env) = q.envelope(items: items, total: total) else { return .json(.null) }
        return FieldsProjection.respondList(env, fields: request.uri.queryParams["fields"])
    }

    @Sendable func stats(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        var whereSQL = SQLFragment("")
        if let filter = request.uri.queryParams["filter"], !filter.isEmpty {
            do { whereSQL = try Self.whereClause(filter, resolver: SimpleFieldResolver(Self.filterFields)) } catch {
                throw APIError.badRequest("Invalid filter format.")
            }
        }
        let query = SQLFragment(
            "SELECT count(id) AS total, strftime('%Y-%m-%d %H:00:00', created) AS date FROM _logs\(whereSQL.sql) GROUP BY date", whereSQL.params)
        try? await storage.logs.flush()
        let rows: [JSONValue]
        do {
            rows = try await storage.logs.read { db in
                try Row.fetchAll(db, sql: query.sql, arguments: query.arguments).map { row -> JSONValue in
                    let date = (row["date"] as String?).map { PBDate.normalize($0) } ?? ""
                    return .object(JSONObject([("date", .string(date)), ("total", .number(Double(row["total"] as Int? ?? 0)))]))
                }
            }
        } catch { throw APIError.badRequest("Failed to generate logs stats.") }
        return FieldsProjection.respond(.array(rows), fields: request.uri.queryParams["fields"])
    }

    @Sendable func view(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        let id = context.parameters.get("id") ?? ""
        try? await storage.logs.flush()
        let item = try await storage.logs.read { db in
            try Row.fetchOne(db, sql: "SELECT id, created, data, message, level FROM _logs WHERE id = ? LIMIT 1", arguments: [id]).map(Self.json)
        }
        guard let item else { throw APIError.notFound() }
        return FieldsProjection.respond(item, fields: request.uri.queryParams["fields"])
    }

    /// A `_logs` row in PocketBase's Log JSON order (`id, created, data, message, level`).
    static func json(_ row: Row) -> JSONValue {
        let dataText: String = row["data"] ?? "{}"
        let data = (try? JSONValue.parseStrict(dataText)) ?? .object(JSONObject())
        return .object(JSONObject([
            ("id", .string(row["id"] ?? "")), ("created", .string(PBDate.normalize(row["created"] ?? ""))), ("data", data),
            ("message", .string(row["message"] ?? "")), ("level", .number(Double(row["level"] as Int? ?? 0))),
        ]))
    }

    /// ` WHERE …` for a filter over the log fields.
    static func whereClause(_ filter: String, resolver: SimpleFieldResolver) throws -> SQLFragment {
        guard filter.count <= RecordQuery.maxFilterLength else { throw FilterResolveError(description: "filter too long") }
        let f = try FilterSQLBuilder.build(try FilterParser.parse(filter), resolver: resolver)
        return SQLFragment(" WHERE " + f.sql, f.params)
    }

    /// The search provider's sort: at most 8 keys of ≤ 255 characters; `@random`, `@rowid` or a resolvable column.
    static func sortTerms(_ sort: String, resolver: SimpleFieldResolver) throws -> [String] {
        try SortKeys.parse(sort).map { name, dir in
            if name == "@random" { return "RANDOM()" }
            if name == "@rowid" { return "_rowid_ \(dir)" }
            let r = try resolver.resolve(name)
            return "\(r.identifier) \(dir)"
        }
    }
}
