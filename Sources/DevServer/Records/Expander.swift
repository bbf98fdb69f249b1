import Foundation
import GRDB
import Hummingbird

/// `?expand=rel,rel.sub,back_via_field` with each related collection's viewRule applied (context `expand`).
struct Expander {
    let storage: Storage
    let request: Request
    let context: AppRequestContext

    static let maxDepth = 6

    /// One expand object per record (nil when no requested path was a valid relation).
    func expand(_ records: [Record], paths: String) async throws -> [JSONObject?] {
        let list = Self.normalize(paths)
        var out: [JSONObject?] = Array(repeating: nil, count: records.count)
        for path in list {
            try await expand(records, path: path.split(separator: ".").map(String.init), into: &out)
        }
        return out
    }

    /// Comma list, spaces removed, max depth, prefixes of longer paths dropped.
    static func normalize(_ raw: String) -> [String] {
        let items = raw.replacingOccurrences(of: " ", with: "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
        let limited = items.map { $0.split(separator: ".").prefix(maxDepth).joined(separator: ".") }
        var unique: [String] = []
        for p in limited where !unique.contains(p) { unique.append(p) }
        return unique.filter { p in !unique.contains { $0 != p && $0.hasPrefix(p + ".") } }
    }

    struct Relation {
        let target: Collection
        let multiple: Bool
        /// For each source record, the related ids.
        let ids: (Record) -> [String]
        let backField: Field?
    }

    static func merge(_ a: JSONValue, _ b: JSONValue) -> JSONValue {
        switch (a, b) {
        case (.array(let x), .array(let y)) where x.count == y.count: return .array(zip(x, y).map { merge($0, $1) })
        case (.object(var x), .object(let y)):
            if case .object(var ex)? = x["expand"], case .object(let ey)? = y["expand"] {
                for (k, v) in ey { ex[k] = ex[k].map { merge($0, v) } ?? v }
                x["expand"] = .object(ex.sorted())
            } else if x["expand"] == nil, let ey = y["expand"] {
                x["expand"] = ey
                x = x.sorted()
            }
            return .object(x)
        default: return b
        }
    }

    func relation(_ c: Collection, _ name: String) -> Relation? {
        if let f = c.field(name) {
            guard f.type == "relation", let target = storage.collection(f.string("collectionId")) else { return nil }
            return Relation(target: target, multiple: f.isMultiple, ids: { Coerce.list($0[name]) }, backField: nil)
        }
        let parts = name.components(separatedBy: "_via_")
        guard parts.count == 2, let back = storage.collection(parts[0]), let bf = back.field(parts[1]), bf.type == "relation",
            bf.string("collectionId") == c.id
        else { return nil }
        let single = !bf.isMultiple && Runner.hasSingleColumnUniqueIndex(bf.name, back.indexes)
        return Relation(target: back, multiple: !single, ids: { _ in [] }, backField: bf)
    }

    func expand(_ records: [Record], path: [String], into out: inout [JSONObject?]) async throws {
        guard let first = path.first, let c = records.first?.collection, let rel = relation(c, first) else { return }
        let viewRule: String?
        if context.isSuperuser { viewRule = "" } else {
            // A null viewRule makes the whole path fail silently for non-superusers.
            guard let r = rel.target.viewRule else { return }
            viewRule = r
        }
        var info = RequestInfo(request, context: context, ruleContext: "expand")
        info.context = "expand"
        var q = RecordQuery(rel.target, storage: storage, request: info, allowHidden: true)
        let fetched: [Record]
        do {
            if let viewRule, !viewRule.isEmpty { try q.addFilter(viewRule) }
            if let bf = rel.backField {
                let ids = records.map(\.id)
                let placeholders = ids.indices.map { ":__b\($0)" }.joined(separator: ",")
                var params: [String: SQLValue] = [:]
                for (i, id) in ids.enumerated() { params["__b\(i)"] = .text(id) }
                let col = SQLQuote.column(rel.target.name, bf.name)
                let sql = bf.isMultiple
                    ? "EXISTS (SELECT 1 FROM json_each(\(col)) WHERE json_each.value IN (\(placeholders)))"
                    : "\(col) IN (\(placeholders))"
                q.conditions.append(SQLFragment(sql, params))
                q.orderBy = ["\(SQLQuote.ident(rel.target.name))._rowid_ ASC"]
            } else {
                let ids = Array(Set(records.flatMap(rel.ids)))
                guard !ids.isEmpty else {
                    for i in out.indices where out[i] == nil { out[i] = JSONObject() }
                    return
                }
                var params: [String: SQLValue] = [:]
                for (i, id) in ids.enumerated() { params["__r\(i)"] = .text(id) }
                q.conditions.append(SQLFragment("\(SQLQuote.column(rel.target.name, "id")) IN (\(ids.indices.map { ":__r\($0)" }.joined(separator: ",")))", params))
            }
        } catch { return }
        let select = q.select(limit: rel.backField == nil ? nil : 1000)
        let target = rel.target
        fetched = (try? await storage.read { db in try Storage.fetch(db, target, select) }) ?? []
        var nested: [JSONObject?] = Array(repeating: nil, count: fetched.count)
        if path.count > 1, !fetched.isEmpty {
            try await expand(fetched, path: Array(path.dropFirst()), into: &nested)
        }
        let byID = Dictionary(fetched.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, r) in records.enumerated() {
            var matched: [Int]
            if let bf = rel.backField {
                matched = fetched.indices.filter { Coerce.list(fetched[$0][bf.name]).contains(r.id) }
            } else {
                matched = rel.ids(r).compactMap { byID[$0] }
            }
            let values: [JSONValue] = matched.map { j in
                .object(fetched[j].export(superuser: context.isSuperuser, requesterID: context.auth?.id, expand: nested[j]))
            }
            var o = out[i] ?? JSONObject()
            let value: JSONValue? = rel.multiple ? (values.isEmpty ? nil : .array(values)) : values.first
            if let value {
                // `a.b,a.c`: merge the nested expands of records already expanded under `a`.
                o[path[0]] = o[path[0]].map { Self.merge($0, value) } ?? value
            }
            out[i] = o.sorted()
        }
    }
}
