import Foundation
import GRDB
import Hummingbird

/// `?expand=rel,rel.sub,back_via_field` with each related collection's viewRule applied (context `expand`).
struct Expander {
    let storage: Storage
    /// The caller's request (auth, query, headers); rules run with context `expand`.
    let info: RequestInfo
    /// Superusers see hidden fields over REST; realtime messages never carry them.
    var showHidden: Bool

    init(storage: Storage, info: RequestInfo, showHidden: Bool) {
        self.storage = storage
        self.info = info
        self.showHidden = showHidden
    }

    init(storage: Storage, request: Request, context: AppRequestContext) {
        self.init(storage: storage, info: RequestInfo(request, context: context), showHidden: context.isSuperuser)
    }

    static let maxDepth = 6

    /// One expand object per record (nil when no requested path was a valid relation). A path that fails
    /// anywhere (unknown field, a relation the caller may not view) adds nothing, not even its valid prefix:
    /// PocketBase's `expandRecords` returns the nested error before it sets the parent's expand.
    func expand(_ records: [Record], paths: String) async throws -> [JSONObject?] {
        let list = Self.normalize(paths)
        var out: [JSONObject?] = Array(repeating: nil, count: records.count)
        for path in list {
            _ = try await expand(records, path: path.split(separator: ".").map(String.init), into: &out)
        }
        return out
    }

    /// PocketBase's `normalizeExpands`: spaces removed, dots trimmed, paths that a longer one contains dropped,
    /// duplicates removed (first occurrence kept); depth limited. Linear in the number of paths (the list comes
    /// from the query string).
    static func normalize(_ raw: String) -> [String] {
        let items = raw.replacingOccurrences(of: " ", with: "").split(separator: ",")
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".")) }.filter { !$0.isEmpty }
            .map { $0.split(separator: ".", omittingEmptySubsequences: false).prefix(maxDepth).joined(separator: ".") }
        var containedPrefixes = Set<String>()
        // `p1` is dropped when some `p2` starts with `p1 + "."`: every text before a dot of some path.
        for p in items {
            for dot in p.indices where p[dot] == "." { containedPrefixes.insert(String(p[..<dot])) }
        }
        var seen = Set<String>()
        return items.filter { !containedPrefixes.contains($0) && seen.insert($0).inserted }
    }

    /// `name_via_field` (greedy like `^(\w+)_via_(\w+)$`) or the deprecated `name(field)` PocketBase 0.23 still reads.
    static func backRelation(_ segment: String) -> (collection: String, field: String)? {
        func isWord(_ s: Substring) -> Bool {
            !s.isEmpty && s.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || CharacterSet.alphanumerics.contains($0)) }
        }
        if segment.contains("(") {
            guard segment.hasSuffix(")"), let open = segment.firstIndex(of: "(") else { return nil }
            let name = segment[..<open], field = segment[segment.index(after: open)..<segment.index(before: segment.endIndex)]
            return isWord(name) && isWord(field) ? (String(name), String(field)) : nil
        }
        guard let via = segment.range(of: "_via_", options: .backwards) else { return nil }
        let name = segment[..<via.lowerBound], field = segment[via.upperBound...]
        return isWord(name) && isWord(field) ? (String(name), String(field)) : nil
    }

    struct Relation {
        let target: CollectionModel
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

    func relation(_ c: CollectionModel, _ name: String) -> Relation? {
        if let f = c.field(name) {
            guard f.type == .relation, let target = storage.collection(f.string("collectionId")) else { return nil }
            return Relation(target: target, multiple: f.isMultiple, ids: { Coerce.list($0[name]) }, backField: nil)
        }
        guard let (backName, fieldName) = Self.backRelation(name), let back = storage.collection(backName),
            let bf = back.field(fieldName), bf.type == .relation, bf.string("collectionId") == c.id
        else { return nil }
        let single = !bf.isMultiple && Runner.hasSingleColumnUniqueIndex(bf.name, back.indexes)
        return Relation(target: back, multiple: !single, ids: { _ in [] }, backField: bf)
    }

    /// Expands one path; false when it failed (then nothing of it is added).
    func expand(_ records: [Record], path: [String], into out: inout [JSONObject?]) async throws -> Bool {
        guard let first = path.first, let c = records.first?.collection else { return true }
        guard let rel = relation(c, first) else { return false }
        let viewRule: String?
        if info.isSuperuser { viewRule = "" } else {
            // A null viewRule makes the whole path fail silently for non-superusers.
            guard let r = rel.target.viewRule else { return false }
            viewRule = r
        }
        var info = self.info
        info.context = RequestInfoContext.expand.rawValue
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
                    return true
                }
                var params: [String: SQLValue] = [:]
                for (i, id) in ids.enumerated() { params["__r\(i)"] = .text(id) }
                q.conditions.append(SQLFragment("\(SQLQuote.column(rel.target.name, "id")) IN (\(ids.indices.map { ":__r\($0)" }.joined(separator: ",")))", params))
            }
        } catch { return false }
        let select = q.select(limit: rel.backField == nil ? nil : 1000)
        let target = rel.target
        fetched = (try? await storage.read { db in try Storage.fetch(db, target, select) }) ?? []
        var nested: [JSONObject?] = Array(repeating: nil, count: fetched.count)
        if path.count > 1, !fetched.isEmpty {
            guard try await expand(fetched, path: Array(path.dropFirst()), into: &nested) else { return false }
        }
        let byID = Dictionary(fetched.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        // expandFetch runs autoResolveRecordsFlags on the related records too (context "expand").
        let emailVisible = try await storage.emailVisibleIDs(fetched, info: info)
        for (i, r) in records.enumerated() {
            var matched: [Int]
            if let bf = rel.backField {
                matched = fetched.indices.filter { Coerce.list(fetched[$0][bf.name]).contains(r.id) }
            } else {
                matched = rel.ids(r).compactMap { byID[$0] }
            }
            let values: [JSONValue] = matched.map { j in
                .object(
                    fetched[j].export(
                        superuser: showHidden, requesterID: info.auth?.id, expand: nested[j], showEmail: info.isSuperuser || emailVisible.contains(fetched[j].id)))
            }
            var o = out[i] ?? JSONObject()
            let value: JSONValue? = rel.multiple ? (values.isEmpty ? nil : .array(values)) : values.first
            if let value {
                // `a.b,a.c`: merge the nested expands of records already expanded under `a`.
                o[path[0]] = o[path[0]].map { Self.merge($0, value) } ?? value
            }
            out[i] = o.sorted()
        }
        return true
    }
}
