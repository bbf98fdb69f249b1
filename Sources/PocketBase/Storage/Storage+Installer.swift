import Foundation
import GRDB

/// PocketBase's first-run installer (`apis/installer.go`): while no real superuser exists, a placeholder superuser
/// `__pbinstaller@example.com` with a random password holds a 30-minute static token; the dashboard's
/// `#/pbinstal/{token}` page uses it to create the first superuser, and that create deletes the placeholder.
extension Storage {
    public static let installerEmail = "__pbinstaller@example.com"

    /// `needInstallerSuperuser`: no superuser but the installer placeholder.
    public func needsInstaller() async throws -> Bool {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM _superusers WHERE email != ?", arguments: [Self.installerEmail]) ?? 0 == 0
        }
    }

    /// The installer token (`NewStaticAuthToken(30 * time.Minute)`: not refreshable), creating the placeholder
    /// superuser when needed; nil once a real superuser exists.
    public func installerToken() async throws -> String? {
        guard try await needsInstaller(), let c = collection(SystemCollection.superusers) else { return nil }
        let placeholder = { [self] in
            try await read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM _superusers WHERE email = ?", arguments: [Self.installerEmail]).map { Record(collection: c, row: $0) }
            }
        }
        var record = try await placeholder()
        if record == nil {
            try await upsertSuperuser(email: Self.installerEmail, password: Identifiers.random(30, alphabet: Identifiers.alphanumeric))
            record = try await placeholder()
        }
        guard let record else { return nil }
        return try await AuthToken.issue(for: record, duration: 30 * 60, refreshable: false)
    }

    /// pbSuperusersRecordSaveExec: creating any other superuser removes the installer placeholder (same transaction).
    static func deleteInstallerSuperuser(_ db: Database, created: Record) throws {
        guard created.collection.name == SystemCollection.superusers, created.string("email") != installerEmail else { return }
        try db.execute(sql: "DELETE FROM _superusers WHERE email = ?", arguments: [installerEmail])
    }
}
