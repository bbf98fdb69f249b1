import Foundation
import GRDB
import PocketBase

extension GuideApp {
    static let accountBlocked = APIError.forbidden("Your account is blocked.")
    static let ipBlocked = APIError.forbidden("Your IP address is blocked.")

    /// Link creation and clicks: 403 while a block without `expires`, or with `expires` still ahead, names the
    /// caller's user id (type user) or its IP — raw or hashed as analytics shows it (type ip). Superusers never.
    func blockGate(_ storage: Storage, auth: AuthRecord?, isSuperuser: Bool, ip: String) async throws {
        if isSuperuser { return }
        if let auth, try await activeBlock(storage, type: "user", values: [auth.record.id]) { throw Self.accountBlocked }
        if try await activeBlock(storage, type: "ip", values: [ip, hashIP(ip)]) { throw Self.ipBlocked }
    }

    /// `type = {:type} && value in values && (expires = '' || expires > @now)` (PocketBase compares the date
    /// strings as text, as here).
    func activeBlock(_ storage: Storage, type: String, values: [String]) async throws -> Bool {
        guard storage.collection("blocks") != nil else { return false }
        let now = PBDate.now()
        return try await storage.read { db in
            let marks = values.map { _ in "?" }.joined(separator: ", ")
            let args: [any DatabaseValueConvertible] = [type] + values + [now]
            return try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM blocks WHERE type = ? AND value IN (\(marks)) AND (expires = '' OR expires > ?))",
                arguments: StatementArguments(args)) ?? false
        }
    }
}
