import Foundation
import PocketBase

extension SptfyApp {
    /// `random.pb.js`'s auth hook: after an OAuth2 login, store the provider user id in an empty `spotify_id`
    /// (saved, so `updated` moves) and answer with the updated record. Failures are swallowed.
    func bindSpotifyIDCapture(_ hooks: inout Hooks) {
        hooks.onRecordAuthRequest.bind(tags: ["users"]) { e, next in
            guard e.authMethod == .oauth2, let meta = e.meta, let raw = meta["rawUser"], raw != .null else { return try await next(e) }
            let isSpotify = meta["provider"]?.stringValue == "spotify" || meta["name"]?.stringValue == "spotify"
            let metaID = Self.jsString(meta["id"])
            guard isSpotify || !metaID.isEmpty else { return try await next(e) }
            let spotifyID = Self.jsString(raw["id"]).isEmpty ? metaID : Self.jsString(raw["id"])
            var e = e
            if !spotifyID.isEmpty, e.record.string("spotify_id").isEmpty,
                let saved = try? await e.storage.updateRecordAsSuperuser(e.record, values: JSONObject([("spotify_id", .string(spotifyID))]))
            {
                e.record = saved
            }
            return try await next(e)
        }
    }

    /// `String(v)` for the id-like values the hook reads (strings, or numbers from other providers).
    static func jsString(_ v: JSONValue?) -> String {
        switch v {
        case .string(let s)?: s
        case .number(let n)?: JSONValue.formatNumber(n)
        default: ""
        }
    }
}
