import GRDB

extension Storage {
    /// `read`, through the exact result cache: the value for `key` is reused while none of the tables read by
    /// `sql` (views resolved to their tables) has changed. `key` must name everything the result depends on; the
    /// statements' SQL and arguments usually do. Inside a batch transaction the cache is bypassed (its uncommitted
    /// writes are invisible to the observer). `cost` is the value's size in rows, for the cache's budget.
    ///
    /// The generations are stamped before the read's first statement, so a commit racing the read either shows in
    /// the stamp (and the value is newer) or makes `store` refuse the value; a stale value is never kept.
    public func cachedRead<T: Sendable>(
        key: String, sql: [String], cost: @escaping @Sendable (T) -> Int = { _ in 1 },
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        let cache = resultCache
        return try await cachedRead(key: key, tables: { db in
            // A statement's tables depend on its text alone: asked of SQLite once per text and epoch.
            let epoch = cache.stamp.epoch
            var all = Set<String>()
            for s in sql {
                if let known = cache.tables(of: s) {
                    all.formUnion(known)
                } else {
                    guard let read = try Self.tablesRead(db, sql: [s]) else { return nil }
                    cache.remember(read, of: s, epoch: epoch)
                    all.formUnion(read)
                }
            }
            return all
        }, cost: cost, body)
    }

    /// `cachedRead` over tables named by the caller (lowercased), for reads made of many statements.
    public func cachedRead<T: Sendable>(
        key: String, tables: Set<String>, cost: @escaping @Sendable (T) -> Int = { _ in 1 },
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await cachedRead(key: key, tables: { _ in tables }, cost: cost, body)
    }

    private func cachedRead<T: Sendable>(
        key: String, tables: @escaping @Sendable (Database) throws -> Set<String>?, cost: @escaping @Sendable (T) -> Int,
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        if Self.currentTransaction != nil { return try await read(body) }
        if let hit = resultCache.lookup(key, as: T.self) { return hit }
        let cache = resultCache
        let (value, read, stamp) = try await pool.read { db -> (T, Set<String>?, ResultCache.Stamp) in
            let stamp = cache.stamp
            let value = try body(db)
            return (value, try tables(db), stamp)
        }
        if let read { cache.store(key, value: value, tables: read, stamp: stamp, cost: cost(value)) }
        return value
    }

    /// The tables `sql` reads, from SQLite's authorizer (a view counts as the tables under it); nil when unknown.
    static func tablesRead(_ db: Database, sql: [String]) throws -> Set<String>? {
        var region = DatabaseRegion()
        for s in sql { region.formUnion(try db.cachedStatement(sql: s).databaseRegion) }
        let names = try String.fetchAll(db, sql: "SELECT lower(name) FROM sqlite_master WHERE type = 'table'")
        guard let tables = region.tables(among: names), !tables.isEmpty else { return nil }
        return tables
    }
}
