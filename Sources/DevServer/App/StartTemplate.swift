import Crypto
import Foundation
import GRDB
import PocketBase

/// Cold start from a prebuilt data dir: the first `serve` on an empty dir builds it the slow way (PocketBase's
/// tables, the schema import, bcrypt for the superuser, the fixtures) and keeps a copy of the result in the user's
/// cache; later starts on an empty dir with the same inputs copy it and give it fresh secrets — milliseconds
/// instead of the import and the bcrypt hash.
///
/// The copy is made unique before anything opens it: new token secrets for every auth collection, a new id and
/// tokenKey for the superusers, and creation times of now, so no two data dirs share a secret and the dir looks
/// made now, as PocketBase's own first start makes it. The key covers every input of the build (the binary
/// itself, the profile, the fixture world, the superuser's credentials, the Spotify provider); a changed input is a
/// new template. `SPTFY_DEV_TEMPLATE_CACHE=off` turns it off for `serve`; any other value is the cache directory.
struct StartTemplate {
    let directory: URL
    let key: String

    static let formatVersion = "1"

    /// The cache directory `SPTFY_DEV_TEMPLATE_CACHE` names: nil for `off`, else the value, else
    /// `$XDG_CACHE_HOME/sptfy-dev` or `~/.cache/sptfy-dev`.
    static func cacheDirectory(_ environment: [String: String]) -> URL? {
        let setting = environment["SPTFY_DEV_TEMPLATE_CACHE"] ?? ""
        if setting.lowercased() == "off" { return nil }
        if !setting.isEmpty { return URL(fileURLWithPath: setting) }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("sptfy-dev") }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/sptfy-dev")
    }

    /// nil when the configuration has no template cache or the start cannot use one (migrations to run, no
    /// executable to key on).
    init?(_ config: DevServerConfiguration) {
        guard let root = config.templateCache else { return nil }
        if let migrations = config.migrationsDir,
            let files = try? FileManager.default.contentsOfDirectory(atPath: migrations.path), files.contains(where: { $0.hasSuffix(".js") })
        {
            return nil
        }
        guard let binary = Self.executableIdentity() else { return nil }
        var inputs = [
            // Fields spelled out: String(describing:) reflects, which costs milliseconds on a cold process.
            Self.formatVersion, binary, config.profile.rawValue,
            config.fixtures.map { "\($0.seed)|\($0.scale)|\($0.anchor.timeIntervalSince1970)" } ?? "-", config.createSuperuser ? "su" : "-",
            config.superuserEmail, config.superuserPassword,
            config.spotify.clientID, config.spotify.clientSecret, config.spotify.stubBaseURL ?? "-",
        ]
        // The guide's fixtures hash their IPs with the salt.
        if config.profile == .guide { inputs.append(config.ipHashSalt) }
        key = SHA256.hash(data: Data(inputs.joined(separator: "\u{0}").utf8)).map { String(format: "%02x", $0) }.joined()
        directory = root.appendingPathComponent("templates")
    }

    var file: URL { directory.appendingPathComponent(key + ".db") }
    var auxiliaryFile: URL { directory.appendingPathComponent(key + ".aux.db") }

    /// The running binary: path, size and modification time (a rebuilt binary may build data dirs differently).
    static func executableIdentity() -> String? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date
        else { return nil }
        return "\(path)|\(size)|\(modified.timeIntervalSince1970)"
    }

    /// Puts a unique copy of the template into the empty `dataDir` (data.db and the initial snapshot); false when
    /// there is no template yet.
    func restore(into dataDir: URL) throws -> Bool {
        let fm = FileManager.default
        guard fm.fileExists(atPath: file.path) else { return false }
        try fm.createDirectory(at: dataDir, withIntermediateDirectories: true)
        let data = dataDir.appendingPathComponent("data.db")
        try fm.copyItem(at: file, to: data)
        if fm.fileExists(atPath: auxiliaryFile.path) {
            try? fm.copyItem(at: auxiliaryFile, to: dataDir.appendingPathComponent("auxiliary.db"))
        }
        do {
            let queue = try DatabaseQueue(path: data.path)
            try queue.write { db in try Self.personalize(db) }
            try queue.close()
            let snapshots = dataDir.appendingPathComponent(".sptfy-dev/snapshots")
            try fm.createDirectory(at: snapshots, withIntermediateDirectories: true)
            try fm.copyItem(at: data, to: snapshots.appendingPathComponent(Storage.initialSnapshot + ".db"))
        } catch {
            // Leave the dir empty for the slow path rather than half-made.
            try? fm.removeItem(at: data)
            try? fm.removeItem(at: dataDir.appendingPathComponent("auxiliary.db"))
            try? fm.removeItem(at: dataDir.appendingPathComponent(".sptfy-dev"))
            throw error
        }
        return true
    }

    /// Keeps the initial snapshot of a data dir just made as the template (written aside, then renamed: a
    /// concurrent start sees the whole file or none).
    func save(from storage: Storage) {
        let fm = FileManager.default
        let snapshot = storage.dataDir.appendingPathComponent(".sptfy-dev/snapshots/\(Storage.initialSnapshot).db")
        let temp = directory.appendingPathComponent(".\(key)-\(UUID().uuidString).db")
        let tempAux = directory.appendingPathComponent(".\(key)-\(UUID().uuidString).aux.db")
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            // The log database first: a data.db template is used with its auxiliary.db already in place.
            try LogStore.createEmpty(at: tempAux)
            for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: tempAux.path + suffix) }
            try? fm.removeItem(at: auxiliaryFile)
            try fm.moveItem(at: tempAux, to: auxiliaryFile)
            try fm.copyItem(at: snapshot, to: temp)
            try fm.moveItem(at: temp, to: file)
        } catch {
            try? fm.removeItem(at: temp)
            try? fm.removeItem(at: tempAux)
        }
    }

    /// New token secrets, superuser id and tokenKey, and creation times of now.
    static func personalize(_ db: Database, now: Date = Date()) throws {
        let stamp = PBDate.format(now)
        for row in try Row.fetchAll(db, sql: "SELECT id, options FROM _collections WHERE type = 'auth'") {
            guard let text: String = row["options"], case .object(var options) = try JSONValue.parseStrict(text) else { continue }
            for key in options.keys {
                guard case .object(var section) = options[key] ?? .null, section["secret"]?.stringValue != nil else { continue }
                section["secret"] = .string(Identifiers.random(50, alphabet: Identifiers.alphanumeric))
                options[key] = .object(section)
            }
            try db.execute(sql: "UPDATE _collections SET options = ? WHERE id = ?", arguments: [JSONValue.object(options).encoded(), row["id"] as String?])
        }
        try db.execute(sql: "UPDATE _collections SET created = ?, updated = ?", arguments: [stamp, stamp])
        try db.execute(sql: "UPDATE _params SET created = ?, updated = ?", arguments: [stamp, stamp])
        for id in try String.fetchAll(db, sql: "SELECT id FROM _superusers") {
            try db.execute(
                sql: "UPDATE _superusers SET id = ?, tokenKey = ?, created = ?, updated = ? WHERE id = ?",
                arguments: [Identifiers.recordID(), Identifiers.tokenKey(), stamp, stamp, id])
        }
        let micros = Int64(now.timeIntervalSince1970 * 1_000_000)
        try db.execute(sql: "UPDATE _migrations SET applied = applied - (SELECT MIN(applied) FROM _migrations) + ?", arguments: [micros])
    }
}
