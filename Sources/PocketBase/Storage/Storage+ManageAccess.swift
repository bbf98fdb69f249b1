extension Storage {
    /// PocketBase's autoResolveRecordsFlags for auth records: which of `records` show their email although
    /// `emailVisibility` is off — the caller's own record, and those its auth passes the collection's manageRule on
    /// (one query for all). Superusers see every email anyway.
    func emailVisibleIDs(_ records: [Record], info: RequestInfo) async throws -> Set<String> {
        guard let c = records.first?.collection, c.isAuth, let auth = info.auth, !info.isSuperuser else { return [] }
        var visible: Set<String> = records.contains { $0.id == auth.id } ? [auth.id] : []
        let hidden = records.filter { $0.id != auth.id && !($0["emailVisibility"].boolValue ?? false) }.map(\.id)
        guard !hidden.isEmpty, let rule = c.manageRule, !rule.isEmpty else { return visible }
        var q = RecordQuery(c, storage: self, request: info, allowHidden: true)
        guard (try? q.addFilter(rule)) != nil else { return visible }
        var params: [String: SQLValue] = [:]
        for (i, id) in hidden.enumerated() { params["__m\(i)"] = .text(id) }
        q.conditions.append(
            SQLFragment("\(RecordQuery.idColumn(c, table: q.table)) IN (\(hidden.indices.map { ":__m\($0)" }.joined(separator: ",")))", params))
        let select = q.select()
        let managed = try await read { db in try Storage.fetch(db, c, select).map(\.id) }
        visible.formUnion(managed)
        return visible
    }
}
