import Foundation
import GRDB

extension Storage {
    /// The `_params` settings object.
    public func settings() async throws -> JSONObject {
        try await read { db in try Self.loadSettings(db) }
    }

    /// The settings as last loaded or saved (for per-request lookups: trusted proxy, logs, rate limits).
    public var cachedSettings: JSONObject { settingsCache.withLockedValue { $0 } }

    /// PocketBase's collection-rename hook: rate limit labels `old:…` become `new:…`.
    func renameRateLimitLabels(from old: String, to new: String) async throws {
        var settings = try await self.settings()
        guard var limits = settings["rateLimits"]?.objectValue, let rules = limits["rules"]?.arrayValue else { return }
        var changed = false
        let renamed = rules.map { rule -> JSONValue in
            guard var o = rule.objectValue, let label = o["label"]?.stringValue, label.hasPrefix(old + ":") else { return rule }
            o["label"] = .string(new + ":" + label.dropFirst(old.count + 1))
            changed = true
            return .object(o)
        }
        guard changed else { return }
        limits["rules"] = .array(renamed)
        settings["rateLimits"] = .object(limits)
        try await saveSettings(settings)
    }

    static func loadSettings(_ db: Database) throws -> JSONObject {
        guard try db.tableExists("_params"),
            let text = try String.fetchOne(db, sql: "SELECT value FROM _params WHERE id = 'settings'")
        else { return JSONObject() }
        return (try? JSONValue.parseStrict(text))?.objectValue ?? JSONObject()
    }

    func saveSettings(_ settings: JSONObject) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE _params SET value = ?, updated = ? WHERE id = 'settings'", arguments: [JSONValue.object(settings).encoded(), PBDate.now()])
        }
        settingsCache.withLockedValue { $0 = settings }
        // PocketBase drops every rate limiter on a settings save, whatever changed.
        rateLimiter.reset(settings)
        await logs.apply(settings, cleanup: true)
    }
}
