import Foundation
import PocketBase

extension SptfyApp {
    /// Fields nobody but superusers may change (values compared after the body is applied).
    static let protectedFields = ["name", "from", "id_url", "subdomain", "enable", "analytics", "utm_userAgent"]
    /// Of those, what a link's owner may change.
    static let ownerEditableFields: Set<String> = ["id_url", "from", "subdomain"]

    /// `random.pb.js`'s update guard. Bound without a tag, like production, so it runs for every collection —
    /// which is why a user cannot change their own `users.name`.
    /// `tags` limits it (the guide profile binds it to random_short only).
    func bindUpdateProtection(_ hooks: inout Hooks, tags: [String] = []) {
        hooks.onRecordUpdateRequest.bind(tags: tags) { e, next in
            if e.isSuperuser { return try await next(e) }
            let stored = e.original ?? e.record
            for name in Self.protectedFields where Self.value(e.record, name) != Self.value(stored, name) {
                let owner = stored.collection.field("user") != nil ? stored.string("user") : nil
                guard Self.ownerEditableFields.contains(name), let auth = e.auth, auth.id == owner else {
                    throw APIError.badRequest("Field \"\(name)\" cannot be updated.")
                }
            }
            let before = Self.value(stored, "utm_view").numberValue ?? 0
            let after = Self.value(e.record, "utm_view").numberValue ?? 0
            if after != before && after != before + 1 {
                throw APIError.badRequest("Field \"utm_view\" can only be incremented by 1.")
            }
            return try await next(e)
        }
    }

    /// `record.get(name)`: null for fields the collection doesn't have.
    static func value(_ r: Record, _ name: String) -> JSONValue {
        r.collection.field(name) == nil ? .null : r[name]
    }
}
