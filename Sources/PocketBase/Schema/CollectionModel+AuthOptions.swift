import Foundation

/// Typed reads of an auth collection's options (the JSON stays the stored form, so unknown keys round-trip).
extension CollectionModel {
    /// `authRule`: nil is PocketBase's `null` (no one may authenticate), "" lets everyone.
    public var authRule: String? { options["authRule"]?.stringValue }
    /// `manageRule`: nil or "" grant no manager access.
    public var manageRule: String? { options["manageRule"]?.stringValue }

    public var passwordAuthEnabled: Bool { options["passwordAuth"]?["enabled"]?.boolValue ?? false }
    /// The fields a password login may identify the record by (`email`, `username`, …).
    public var identityFields: [String] { options["passwordAuth"]?["identityFields"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    public var oauth2Enabled: Bool { options["oauth2"]?["enabled"]?.boolValue ?? false }
    /// Each provider's config as stored (name, clientId, clientSecret, URLs, pkce, …).
    public var oauth2Providers: [JSONObject] { options["oauth2"]?["providers"]?.arrayValue?.compactMap(\.objectValue) ?? [] }
    /// OAuth2 user data copied onto a new record: `id`/`name`/`username`/`avatarURL` → field name.
    public var oauth2MappedFields: JSONObject { options["oauth2"]?["mappedFields"]?.objectValue ?? JSONObject() }

    /// `mfa` / `otp`: whether they are on and their duration in seconds.
    public var mfa: (enabled: Bool, duration: JSONValue) { Self.section(options["mfa"]) }
    public var otp: (enabled: Bool, duration: JSONValue) { Self.section(options["otp"]) }

    static func section(_ v: JSONValue?) -> (enabled: Bool, duration: JSONValue) {
        (v?["enabled"]?.boolValue ?? false, v?["duration"] ?? 0)
    }
}
