import Fixtures
import Foundation
import PocketBase
import GRDB
import GRDBSQLite

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
        let collections = Dictionary(uniqueKeysWithValues: world.collectionOrder.map { ($0, collection($0)) })
        let total = max(world.recordCount, 1)
        try await write { db in
            // A big world does not fit SQLite's default page cache: pages would spill to the WAL and be read back
            // (most of the load time at a million clicks). Keep them in memory until the commit.
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -1048576")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            var statements: [String: Statement] = [:]
            for (i, r) in world.records.enumerated() {
                guard let c = collections[r.collection] ?? nil else { continue }
                let statement: Statement
                if let s = statements[c.name] {
                    statement = s
                } else {
                    let cols = c.fields.map { SQLQuote.ident($0.name) }.joined(separator: ", ")
                    statement = try db.makeStatement(
                        sql: "INSERT INTO \(SQLQuote.ident(c.name)) (\(cols)) VALUES (\(c.fields.map { _ in "?" }.joined(separator: ", ")))")
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
            try Self.insertClicks(world, into: collections["analytics"] ?? nil, db: db) { done in
                progress?(Double(world.records.count + done) / Double(total))
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

extension Storage {
    /// The clicks, generated as they are inserted: one reused statement, only the columns the collection has.
    static func insertClicks(_ world: FixtureWorld, into analytics: CollectionModel?, db: Database, progress: (Int) -> Void) throws {
        guard let analytics else { return }
        let columns: [(String, (FixtureClick, String) -> String)] = [
            ("id", { c, _ in c.id }), ("author", { c, _ in c.author }), ("utm_userAgent", { c, _ in c.userAgent }),
            ("utm_country", { c, _ in c.country }), ("created", { _, date in date }), ("updated", { _, date in date }),
        ].filter { column in analytics.fields.contains { $0.name == column.0 } }
        let statement = try db.makeStatement(
            sql: "INSERT INTO \(SQLQuote.ident(analytics.name)) (\(columns.map { SQLQuote.ident($0.0) }.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))")
        // Bound through the C API: GRDB's argument arrays cost more than the inserts themselves at this count.
        let handle = statement.sqliteStatement
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        var done = 0
        try world.forEachClick { click in
            let date = click.created
            sqlite3_reset(handle)
            for (i, column) in columns.enumerated() {
                var text = column.1(click, date)
                text.withUTF8 { _ = sqlite3_bind_text(handle, Int32(i + 1), $0.baseAddress, Int32($0.count), transient) }
            }
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
            done += 1
            if done % 50_000 == 0 { progress(done) }
        }
    }
}

extension Optional {
    func orThrow(_ what: String) throws -> Wrapped {
        guard let self else { throw APIError.notFound("Missing collection \(what).") }
        return self
    }
}
