import GRDB
import NIOConcurrencyHelpers

/// An exact cache for read results (record lists, the app's aggregates). An entry remembers the tables its SQL
/// reads and their generations when it was computed; it is served only while none of them has changed since.
/// A table's generation moves when a write transaction that changed one of its rows commits: a transaction observer
/// on the writer connection bumps it before the write returns, so a request made after a write's response never
/// gets the old result (see `Storage.cachedRead` for why a racing reader cannot store stale data either).
/// Changes the observer cannot see — a collection (DDL) change, a restore or snapshot that swaps the file's
/// contents — drop everything (`invalidateAll`). Writes by another process on the same data dir are not seen:
/// PocketBase does not support two servers on one data dir either.
public final class ResultCache: Sendable {
    /// What the cache keeps at most: entries, and rows over all entries (each entry says its cost).
    public let maxEntries: Int
    public let maxCost: Int

    struct Entry {
        var tables: [String: UInt64]
        var epoch: UInt64
        var value: any Sendable
        var cost: Int
    }

    /// Table generations as seen at one moment: taken before a cached read's first statement.
    public struct Stamp: Sendable {
        let epoch: UInt64
        let generations: [String: UInt64]
    }

    /// Two generations of entries: new ones go to `young`; when it is full it becomes `old` and the previous `old`
    /// is dropped; a hit in `old` moves back to `young`. Least-recently-used in effect, O(1) per operation.
    struct State {
        var generations: [String: UInt64] = [:]
        var epoch: UInt64 = 0
        var young: [String: Entry] = [:]
        var old: [String: Entry] = [:]
        var youngCost = 0
        var oldCost = 0
        var hits = 0
        var misses = 0
        /// The tables each SQL text reads (its shape; arguments do not change it), valid for one epoch.
        var tablesBySQL: [String: Set<String>] = [:]
    }

    private let state = NIOLockedValueBox(State())

    public init(maxEntries: Int = 16_384, maxCost: Int = 200_000) {
        self.maxEntries = maxEntries
        self.maxCost = maxCost
    }

    public var stamp: Stamp { state.withLockedValue { Stamp(epoch: $0.epoch, generations: $0.generations) } }

    /// Hits and misses since start, and the entries kept (for tests and diagnostics).
    public var statistics: (hits: Int, misses: Int, entries: Int) {
        state.withLockedValue { ($0.hits, $0.misses, $0.young.count + $0.old.count) }
    }

    /// The cached value for `key` when none of its tables changed since it was computed.
    public func lookup<T: Sendable>(_ key: String, as: T.Type = T.self) -> T? {
        state.withLockedValue { s in
            let fromOld: Bool
            let found: Entry?
            if let e = s.young[key] {
                (found, fromOld) = (e, false)
            } else {
                (found, fromOld) = (s.old[key], true)
            }
            guard let entry = found else {
                s.misses += 1
                return nil
            }
            guard entry.epoch == s.epoch, entry.tables.allSatisfy({ s.generations[$0.key, default: 0] == $0.value }),
                let value = entry.value as? T
            else {
                Self.remove(&s, key)
                s.misses += 1
                return nil
            }
            if fromOld {
                s.old[key] = nil
                s.oldCost -= entry.cost
                insert(&s, key, entry)
            }
            s.hits += 1
            return value
        }
    }

    /// Keeps `value`, computed from a read that began after `stamp` was taken, over `tables` (lowercased names).
    /// Not kept when a table changed in between (the value may already be older than the data), or when it alone
    /// costs more than a tenth of the budget.
    public func store(_ key: String, value: some Sendable, tables: Set<String>, stamp: Stamp, cost: Int) {
        guard cost <= maxCost / 10 else { return }
        state.withLockedValue { s in
            guard stamp.epoch == s.epoch else { return }
            var generations: [String: UInt64] = [:]
            for t in tables {
                let g = stamp.generations[t, default: 0]
                guard s.generations[t, default: 0] == g else { return }
                generations[t] = g
            }
            Self.remove(&s, key)
            insert(&s, key, Entry(tables: generations, epoch: s.epoch, value: value, cost: cost))
        }
    }

    private func insert(_ s: inout State, _ key: String, _ entry: Entry) {
        if s.young.count >= maxEntries / 2 || s.youngCost + entry.cost > maxCost / 2 {
            s.old = s.young
            s.oldCost = s.youngCost
            s.young = [:]
            s.youngCost = 0
        }
        s.young[key] = entry
        s.youngCost += entry.cost
    }

    private static func remove(_ s: inout State, _ key: String) {
        if let e = s.young.removeValue(forKey: key) { s.youngCost -= e.cost }
        if let e = s.old.removeValue(forKey: key) { s.oldCost -= e.cost }
    }

    /// Called when a write transaction that changed rows of `tables` commits.
    func tablesChanged(_ tables: Set<String>) {
        guard !tables.isEmpty else { return }
        state.withLockedValue { s in
            for t in tables { s.generations[t, default: 0] &+= 1 }
            // A collection change may have altered or replaced tables and views (DDL the observer does not see).
            if tables.contains("_collections") { Self.dropAll(&s) }
        }
    }

    /// Forgets every entry (a restore, a snapshot, a schema reload).
    public func invalidateAll() {
        state.withLockedValue { Self.dropAll(&$0) }
    }

    private static func dropAll(_ s: inout State) {
        s.epoch &+= 1
        s.young = [:]
        s.old = [:]
        s.youngCost = 0
        s.oldCost = 0
        s.tablesBySQL = [:]
    }

    /// The remembered tables of `sql` in the current epoch.
    func tables(of sql: String) -> Set<String>? {
        state.withLockedValue { $0.tablesBySQL[sql] }
    }

    /// The remembered tables of all of `sql`; nil when one is not known.
    func tables(of sql: [String]) -> Set<String>? {
        state.withLockedValue { s in
            var all = Set<String>()
            for text in sql {
                guard let t = s.tablesBySQL[text] else { return nil }
                all.formUnion(t)
            }
            return all
        }
    }

    /// Remembers the tables of `sql` (at most `maxEntries` texts; then it starts over).
    func remember(_ tables: Set<String>, of sql: String, epoch: UInt64) {
        state.withLockedValue { s in
            guard s.epoch == epoch else { return }
            if s.tablesBySQL.count >= maxEntries { s.tablesBySQL = [:] }
            s.tablesBySQL[sql] = tables
        }
    }
}

/// Collects the tables a write transaction changes and reports them to the cache when it commits.
final class ResultCacheObserver: TransactionObserver, @unchecked Sendable {
    // Only touched on the writer connection's queue, which GRDB serializes.
    private var changed: Set<String> = []
    let cache: ResultCache

    init(cache: ResultCache) { self.cache = cache }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }

    func databaseDidChange(with event: DatabaseEvent) {
        changed.insert(event.tableName)
    }

    func databaseDidCommit(_ db: Database) {
        let tables = Set(changed.map { $0.lowercased() })
        changed = []
        cache.tablesChanged(tables)
    }

    func databaseDidRollback(_ db: Database) {
        // A collection change undone: GRDB cleared this connection's prepared statements after the DDL, but the ones
        // prepared since then name columns the rollback took away or brought back.
        if changed.contains(where: { $0.lowercased() == "_collections" }) { db.clearSchemaCache() }
        changed = []
    }
}

extension DatabaseRegion {
    /// The tables among `candidates` (lowercased) whose rows this region reads; nil when it reads the whole database.
    func tables(among candidates: [String]) -> Set<String>? {
        guard !isFullDatabase else { return nil }
        return Set(candidates.filter { isModified(byEventsOfKind: .insert(tableName: $0)) })
    }
}
