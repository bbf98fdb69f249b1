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

/// The generated world: records in dependency order (users before the links that reference them, links before
/// their clicks) and the `_externalAuths` links that make the Spotify stub's fixture accounts log into the named users.
public struct FixtureWorld: Sendable {
    public var options: FixtureOptions
    public var records: [FixtureRecord]
    /// (user id, Spotify id) pairs for `_externalAuths`.
    public var spotifyLinks: [(userID: String, spotifyID: String)]

    public func records(in collection: String) -> [FixtureRecord] { records.filter { $0.collection == collection } }

    /// sptfy.in's `users` collection id (as every PocketBase since v0.22 names it).
    public static let usersCollectionID = "_pb_users_auth_"

    /// The `_externalAuths` id of a user's Spotify link: stable, so seeding twice finds it.
    public static func externalAuthID(_ userID: String) -> String { "fxea" + String(userID.suffix(11)) }

    /// Every record as one JSON line (`collection` first): the world's stable byte form.
    public func jsonLines() -> String {
        records.map { r in
            JSONValue.object(JSONObject([("collection", .string(r.collection))] + r.values.pairs.map { ($0.key, $0.value) })).encoded()
        }.joined(separator: "\n") + "\n"
    }
}
