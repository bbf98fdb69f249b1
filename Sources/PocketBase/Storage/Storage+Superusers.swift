import Foundation
import GRDB
import HummingbirdBcrypt

extension Storage {
    /// Like `pocketbase superuser upsert EMAIL PASS`: creates or resets the password of a superuser.
    public func upsertSuperuser(email: String, password: String) async throws {
        guard let c = collection("_superusers") else { throw APIError.badRequest("missing _superusers collection") }
        guard RecordValidator.isEmail(email) else { throw APIError.badRequest("Invalid email address.") }
        guard password.count >= 8 else { throw APIError.badRequest("The password must be at least 8 characters.") }
        let hash = Bcrypt.hash(password, cost: 10)
        let tokenKey = Identifiers.tokenKey()
        try await pool.write { db in
            let now = PBDate.now()
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM _superusers WHERE email = ?", arguments: [email]) {
                let original = Record(collection: c, row: row)
                var r = original
                r["password"] = .string(hash)
                r["tokenKey"] = .string(tokenKey)
                r["updated"] = .string(now)
                try Self.update(db, r, original: original, deltas: [:])
            } else {
                var r = Record(collection: c)
                for f in c.fields { r[f.name] = Record.zero(f) }
                r["id"] = .string(Identifiers.recordID())
                r["email"] = .string(email)
                r["password"] = .string(hash)
                r["tokenKey"] = .string(tokenKey)
                r["verified"] = true
                r["created"] = .string(now)
                r["updated"] = .string(now)
                try Self.insert(db, r)
                try Self.deleteInstallerSuperuser(db, created: r)
            }
        }
    }

    /// Deletes a superuser by email (refuses to delete the last one, like PocketBase).
    public func deleteSuperuser(email: String) async throws {
        try await pool.write { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM _superusers") ?? 0
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM _superusers WHERE email = ?", arguments: [email]) ?? 0 > 0 else {
                throw APIError.notFound("Missing superuser \(email).")
            }
            guard count > 1 else { throw APIError.badRequest("You can't delete the only existing superuser.") }
            try db.execute(sql: "DELETE FROM _superusers WHERE email = ?", arguments: [email])
        }
    }
}
