import Foundation
import HummingbirdBcrypt

/// A PocketBase collection (base, auth or view) as stored in `_collections`.
public struct CollectionModel: Sendable, Equatable {
    public var id: String
    public var name: String
    public var type: CollectionType
    public var system: Bool
    public var fields: [Field]
    public var indexes: [String]
    public var listRule: String?
    public var viewRule: String?
    public var createRule: String?
    public var updateRule: String?
    public var deleteRule: String?
    /// Auth options (with token secrets) or `{"viewQuery": …}`; `{}` for base collections.
    public var options: JSONObject
    public var created: String
    public var updated: String

    public var isAuth: Bool { type == .auth }
    public var isView: Bool { type == .view }

    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }

    /// bcrypt hash with the password field's cost: 0 (unset) is bcrypt's default 10, as in PocketBase. Saving a
    /// collection refuses costs outside 4…31; one stored anyway (an old data dir, a hand edit) also gets 10, since
    /// HummingbirdBcrypt's precondition would take the server down (Go's bcrypt returns an error instead).
    public func passwordHash(_ password: String) -> String {
        let cost = field("password")?.int("cost") ?? 0
        return Bcrypt.hash(password, cost: UInt8((4...31).contains(cost) ? cost : 10))
    }

    public var viewQuery: String { options["viewQuery"]?.stringValue ?? "" }

    /// Auth option keys in the order PocketBase's struct declares them.
    static let authOptionKeys = [
        "authRule", "manageRule", "authAlert", "oauth2", "passwordAuth", "mfa", "otp", "authToken", "passwordResetToken",
        "emailChangeToken", "verificationToken", "fileToken", "verificationTemplate", "resetPasswordTemplate",
        "confirmEmailChangeTemplate",
    ]
    static let tokenOptionKeys: Set<String> = ["authToken", "passwordResetToken", "emailChangeToken", "verificationToken", "fileToken"]

    /// The API JSON without `created`/`updated`: the admin UI's export and the migration templates' collection.
    public func exportJSON() -> JSONObject {
        var o = apiJSON().objectValue ?? JSONObject()
        o["created"] = nil
        o["updated"] = nil
        return o
    }

    /// The API JSON: struct order, secrets removed.
    public func apiJSON() -> JSONValue {
        var o = JSONObject([
            ("id", .string(id)), ("listRule", Self.rule(listRule)), ("viewRule", Self.rule(viewRule)),
            ("createRule", Self.rule(createRule)), ("updateRule", Self.rule(updateRule)), ("deleteRule", Self.rule(deleteRule)),
            ("name", .string(name)), ("type", .string(type.rawValue)), ("fields", .array(fields.map { .object($0.raw) })),
            ("indexes", .array(indexes.map { .string($0) })), ("created", .string(created)), ("updated", .string(updated)),
            ("system", .bool(system)),
        ])
        if isAuth {
            for key in Self.authOptionKeys {
                guard var v = options[key] else { continue }
                if Self.tokenOptionKeys.contains(key), var t = v.objectValue {
                    t["secret"] = nil
                    v = .object(t)
                }
                // PocketBase stores a nil providers slice as null but serves it as []; client secrets stay private.
                if key == "oauth2", var t = v.objectValue {
                    let providers = t["providers"]?.arrayValue ?? []
                    t["providers"] = .array(providers.map { p in
                        guard var po = p.objectValue else { return p }
                        po["clientSecret"] = nil
                        return .object(po)
                    })
                    v = .object(t)
                }
                o[key] = v
            }
        } else if isView {
            o["viewQuery"] = .string(viewQuery)
        }
        return .object(o)
    }

    static func rule(_ r: String?) -> JSONValue { r.map { .string($0) } ?? .null }

    /// The token secret for a purpose (`authToken`, `fileToken`, …).
    public func tokenSecret(_ key: String) -> String { options[key]?["secret"]?.stringValue ?? "" }
    public func tokenDuration(_ key: String) -> Int { Int(saturating: options[key]?["duration"]?.numberValue ?? 0) }
}

