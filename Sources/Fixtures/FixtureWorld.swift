import Foundation
import PBJSON

/// One record of the fixture world, with the values the public API would be given (plus `created`/`updated`,
/// which only a direct load can set).
public struct FixtureRecord: Sendable, Equatable {
    public var collection: String
    public var values: JSONObject

    public init(_ collection: String, _ values: JSONObject) {
        self.collection = collection
        self.values = values
    }

    public var id: String { values["id"]?.stringValue ?? "" }
}

/// How big and which world: the same options always give the same records, byte for byte.
public struct FixtureOptions: Sendable, Hashable {
    public var seed: UInt64
    /// Multiplies the bulk data (users, links, clicks); the named records are always there once.
    public var scale: Int
    /// Dates are relative to this instant (default: today's UTC midnight, so a day's worlds are identical).
    public var anchor: Date

    public init(seed: UInt64 = 42, scale: Int = 1, anchor: Date = FixtureOptions.todayUTC()) {
        self.seed = seed
        self.scale = max(scale, 0)
        self.anchor = anchor
    }

    public static func todayUTC(_ now: Date = Date()) -> Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    /// Bulk sizes per unit of scale.
    public static let usersPerScale = 20
    public static let linksPerScale = 400
    public static let clicksPerScale = 5_000
}

/// One generated click (`analytics` row), kept out of `FixtureRecord` because there are millions of them.
public struct FixtureClick: Sendable {
    public var id: String
    public var author: String
    public var userAgent: String
    public var country: String
    /// `created` (= `updated`) in milliseconds since 1970.
    public var createdMillis: Int64

    public var created: String { PBDate.formatMillis(createdMillis) }

    public var record: FixtureRecord {
        let date = JSONValue.string(created)
        return FixtureRecord("analytics", JSONObject([
            ("id", .string(id)), ("author", .string(author)), ("utm_userAgent", .string(userAgent)), ("utm_country", .string(country)),
            ("rawData", ""), ("created", date), ("updated", date),
        ]))
    }
}

/// The generated world: records in dependency order (users before the links that reference them), the clicks
/// (generated on demand from per-link seeds: a million of them load without ever being held in memory) and the
/// `_externalAuths` links that make the Spotify stub's fixture accounts log into the named users.
public struct FixtureWorld: Sendable {
    /// The clicks of one link: `count` clicks between its creation and the anchor, from their own seed.
    struct ClickPlan: Sendable {
        var linkID: String
        var createdDaysAgo: Double
        var count: Int
        var seed: UInt64
    }

    public var options: FixtureOptions
    /// Every record but the clicks (`analytics`), in dependency order.
    public var records: [FixtureRecord]
    var clickPlans: [ClickPlan]
    /// (user id, Spotify id) pairs for `_externalAuths`.
    public var spotifyLinks: [(userID: String, spotifyID: String)]

    public var clickCount: Int { clickPlans.reduce(0) { $0 + $1.count } }
    public var recordCount: Int { records.count + clickCount }

    /// Collections in the order they must be written (clicks right after the links they reference).
    public var collectionOrder: [String] {
        var order: [String] = []
        for r in records where !order.contains(r.collection) { order.append(r.collection) }
        order.insert("analytics", at: (order.firstIndex(of: "random_short") ?? order.count - 1) + 1)
        return order
    }

    /// Every click, in link order, without materialising them all.
    public func forEachClick(_ body: (FixtureClick) throws -> Void) rethrows {
        let anchor = Int64((options.anchor.timeIntervalSince1970 * 1000).rounded(.down))
        for plan in clickPlans {
            var rng = SeededRandom(seed: plan.seed)
            for _ in 0..<plan.count {
                let age = plan.createdDaysAgo * rng.unit()
                try body(FixtureClick(
                    id: rng.id(), author: plan.linkID, userAgent: Self.userAgentTable.pick(&rng), country: Self.countryTable.pick(&rng),
                    createdMillis: anchor - Int64((age * 86_400_000).rounded(.up))))
            }
        }
    }

    public func records(in collection: String) -> [FixtureRecord] {
        guard collection != "analytics" else {
            var clicks: [FixtureRecord] = []
            clicks.reserveCapacity(clickCount)
            forEachClick { clicks.append($0.record) }
            return clicks
        }
        return records.filter { $0.collection == collection }
    }

    /// Every record, clicks included, in `collectionOrder` (small scales: this materialises the clicks).
    public var allRecords: [FixtureRecord] { collectionOrder.flatMap { records(in: $0) } }

    /// sptfy.in's `users` collection id (as every PocketBase since v0.22 names it).
    public static let usersCollectionID = "_pb_users_auth_"

    /// The `_externalAuths` id of a user's Spotify link: stable, so seeding twice finds it.
    public static func externalAuthID(_ userID: String) -> String { "fxea" + String(userID.suffix(11)) }

    /// Every record as one JSON line (`collection` first): the world's stable byte form.
    public func jsonLines() -> String {
        allRecords.map { r in
            JSONValue.object(JSONObject([("collection", .string(r.collection))] + r.values.pairs.map { ($0.key, $0.value) })).encoded()
        }.joined(separator: "\n") + "\n"
    }
}
