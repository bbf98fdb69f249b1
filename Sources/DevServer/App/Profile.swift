import Foundation
import PocketBase

/// Which sptfy.in data model a dev server runs: `production` (what sptfy.in runs, `sptfyin-backend.md`) or
/// `guide` (what its "Database Setup" guide documents, docs/guide-profile.md).
public enum Profile: String, Sendable, CaseIterable {
    case production, guide

    /// The bundled collections in PocketBase's import format.
    public func collections() throws -> [JSONValue] {
        switch self {
        case .production: try SptfySchema.collections()
        case .guide: try SptfySchema.bundled("guide.pb_schema")
        }
    }

    /// Which profile a data dir's schema was made for (nil: neither — e.g. a schema from the app's migrations).
    public static func detect(_ storage: Storage) -> Profile? {
        guard let analytics = storage.collection("analytics") else { return nil }
        if analytics.field("ip") != nil && analytics.field("country_code") != nil { return .guide }
        if analytics.field("utm_country") != nil { return .production }
        return nil
    }

    /// The profile's hooks and routes on the engine.
    public func apps(_ options: SptfyOptions, ipHashSalt: String = GuideApp.defaultIPHashSalt) -> [any AppLayer] {
        switch self {
        case .production: [SptfyApp(options)]
        case .guide: [GuideApp(options, ipHashSalt: ipHashSalt)]
        }
    }

    /// The hooks each profile runs, as one line each: the non-schema half of `schema diff --profiles`.
    public var hooks: [String: String] {
        switch self {
        case .production:
            [
                "random_short create": "Turnstile (X-Turnstile-Token → siteverify with CF_SECRET_KEY), every caller",
                "update (every collection)": "protected fields; owners may change id_url/from/subdomain; utm_view only +1",
                "analytics create": "ip-api lookup of the caller's IP, logged only",
                "users auth": "Spotify id captured into spotify_id on OAuth2 login",
                "GET /api/admin/stats": "series, breakdowns and leaderboards",
                "GET /hello/{name}": "greeting",
            ]
        case .guide:
            [
                "random_short create": "blocks (403), then Turnstile (X-Turnstile-Token → siteverify with CF_SECRET_KEY)",
                "update (every collection)": "random_short only: protected fields; owners may change id_url/from/subdomain; utm_view only +1",
                "analytics create": "ip → country_code (ip-api), ip stored as SHA-256(IP_HASH_SALT + ip), timestamp defaults to now",
                "analytics update": "a changed ip is hashed",
                "POST /api/sptfy/click/{id_url}": "blocks (403), records the click (hashed ip, user agent, referrer origin), utm_view + 1",
            ]
        }
    }
}
