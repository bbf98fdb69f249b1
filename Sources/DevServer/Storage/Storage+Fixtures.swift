import Fixtures
import Foundation
import GRDB

extension Storage {
    /// Loads a fixture world straight into the tables (one transaction, prepared statements): passwords hashed
    /// once per distinct password, `_externalAuths` links for the Spotify ids, carol's avatar file.
    /// `progress` gets the fraction done now and then (large scales).
    public func loadFixtures(_ world: FixtureWorld, progress: (@Sendable (Double) -> Void)? = nil) async throws {
        var hashes: [String: String] = [:]
        let users = try collection("users").orThrow("users")
        for r in world.records(in: "users") {
            let p = r.values["password"]?.stringValue ?? ""
            if hashes[p] == nil { hashes[p] = users.passwordHash(p) }
        }
        let hashed = hashes
        let collections = Dictionary(uniqueKeysWithValues: Set(world.records.map(\.collection)).map { ($0, collection($0)) })
        let total = max(world.records.count, 1)
        try await pool.write { db in
            var statements: [String: Statement] = [:]
            for (i, r) in world.records.enumerated() {
                guard let c = collections[r.collection] ?? nil else { continue }
                let statement: Statement
                if let s = statements[c.name] {
                    statement = s
                } else {
                    let cols = c.fields.map { Self.quote($0.name) }.joined(separator: ", ")
                    statement = try db.makeStatement(
                        sql: "INSERT INTO \(Self.quote(c.name)) (\(cols)) VALUES (\(c.fields.map { _ in "?" }.joined(separator: ", ")))")
                    statements[c.name] = statement
                }
                // Straight from the values to column arguments (no Record per row: this loop runs a million times).
                let arguments = c.fields.map { f -> (any DatabaseValueConvertible)? in
                    if c.isAuth && f.name == "password" { return hashed[r.values["password"]?.stringValue ?? ""] ?? "" }
                    if c.isAuth && f.name == "tokenKey" { return Identifiers.tokenKey() }
                    return Record.toDatabase(r.values[f.name] ?? Record.zero(f), field: f)
                }
                try statement.execute(arguments: StatementArguments(arguments))
                if let progress, i % 50_000 == 0 { progress(Double(i) / Double(total)) }
            }
            for link in world.spotifyLinks {
                let now = PBDate.format(world.options.anchor)
                try db.execute(
                    sql: "INSERT OR IGNORE INTO _externalAuths (id, collectionRef, recordRef, provider, providerId, created, updated) VALUES (?, ?, ?, 'spotify', ?, ?, ?)",
                    arguments: [FixtureWorld.externalAuthID(link.userID), users.id, link.userID, link.spotifyID, now, now])
            }
        }
        let avatarDir = storageDir.appendingPathComponent(users.id).appendingPathComponent(NamedFixtures.carol.id)
        try FileManager.default.createDirectory(at: avatarDir, withIntermediateDirectories: true)
        try Data(NamedFixtures.avatarPNG).write(to: avatarDir.appendingPathComponent(NamedFixtures.carolAvatar))
        progress?(1)
    }
}

extension Optional {
    func orThrow(_ what: String) throws -> Wrapped {
        guard let self else { throw APIError.notFound("Missing collection \(what).") }
        return self
    }
}
