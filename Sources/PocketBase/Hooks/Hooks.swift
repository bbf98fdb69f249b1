import Foundation
import Hummingbird

/// The hook points the engine triggers (the subset of PocketBase's that sptfy.in uses).
public struct Hooks: Sendable {
    /// Create request, after the body is read and before the create rule, validation and save.
    public var onRecordCreateRequest = Hook<RecordRequestEvent>()
    /// Update request, after the record is found with the update rule and before validation and save.
    public var onRecordUpdateRequest = Hook<RecordRequestEvent>()
    /// Every successful auth response (password, OAuth2, refresh), before it is written.
    public var onRecordAuthRequest = Hook<RecordAuthRequestEvent>()

    public init() {}
}

/// An app built on the engine: its hooks and its own routes (PocketBase's `pb_hooks` equivalent).
public protocol AppLayer: Sendable {
    func bind(_ hooks: inout Hooks)
    func registerRoutes(on router: Router<AppRequestContext>, storage: Storage)
}

/// A create or update request on a record.
public struct RecordRequestEvent: Sendable {
    public let request: Request
    public let context: AppRequestContext
    public let storage: Storage
    public let collection: CollectionModel
    /// The record as it will be saved: stored values with the request body applied. Handlers may change it.
    public var record: Record
    /// The stored record (updates only).
    public let original: Record?
    /// `e.requestInfo()`: snake-cased headers, query, the body after modifier resolution, auth.
    public let requestInfo: RequestInfo

    public var auth: Record? { context.auth?.record }
    public var isSuperuser: Bool { context.isSuperuser }
    /// The client address (PocketBase's `realIP()`: the trusted proxy header when configured).
    public var realIP: String { ClientIP.real(request, context: context, settings: storage.cachedSettings) }
}

/// An auth response about to be sent.
public struct RecordAuthRequestEvent: Sendable {
    public let request: Request
    public let storage: Storage
    public let collection: CollectionModel
    public var record: Record
    public var token: String
    public let authMethod: AuthMethod
    public var meta: JSONValue?
}
