import Foundation

/// PocketBase's system collections, by name.
public enum SystemCollection {
    public static let superusers = "_superusers"
    public static let externalAuths = "_externalAuths"
    public static let mfas = "_mfas"
    public static let otps = "_otps"
    public static let authOrigins = "_authOrigins"
}

/// How an auth response came about (`RecordAuthRequestEvent.authMethod`, PocketBase's `e.AuthMethod`).
public enum AuthMethod: String, Sendable {
    case password, oauth2, otp
    /// A token refresh (PocketBase passes an empty method).
    case refresh = ""
}

/// `@request.context` (PocketBase's `RequestInfoContext*`): which kind of request a rule is evaluated for.
public enum RequestInfoContext: String, Sendable {
    case `default`, expand, realtime, protectedFile, oauth2, batch
}
