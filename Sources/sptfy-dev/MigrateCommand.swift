import ArgumentParser
import DevServer
import Foundation

/// `--migrationsDir`: PocketBase's flag; by default `pb_migrations` next to the data dir.
struct MigrationsDirOption: ParsableArguments {
    @Option(name: .customLong("migrationsDir"), help: "The JS migrations folder (default: pb_migrations next to --dir).")
    var migrationsDir: String?

    /// The folder migrations are written to (`migrate create`, automigrate).
    func folder(dataDir: URL) -> URL {
        migrationsDir.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? DevServerConfiguration.defaultMigrationsDir(dataDir: dataDir)
    }

    /// The folder migrations are applied from, when it exists.
    func existing(dataDir: URL) -> URL? {
        let dir = folder(dataDir: dataDir)
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir) && isDir.boolValue ? dir : nil
    }

    /// A failed migration ends the process non-zero, naming the file, the line and the reason (PocketBase logs it
    /// and exits 0).
    static func reporting<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let e as MigrationRunner.Failure {
            throw CLIError(e.description)
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply, revert or write pb_migrations like `pocketbase migrate`.",
        discussion: """
            up                 apply the pending migrations
            down [N]           revert the last N applied migrations (default 1)
            create NAME        write a blank migration file
            collections        write a snapshot of every collection (importCollections)
            history-sync       forget applied migrations whose files are gone
            """)

    @Argument(help: "up | down [N] | create NAME | collections | history-sync") var action: String
    @Argument(help: "N for down, NAME for create.") var argument: String?
    @OptionGroup var data: DataDirOptions
    @OptionGroup var migrations: MigrationsDirOption

    func run() async throws {
        let dir = migrations.folder(dataDir: data.url)
        switch action {
        case "create":
            guard let name = argument, !name.isEmpty else { throw ValidationError("migrate create needs a NAME") }
            print("Successfully created file \(try write(MigrationTemplates.blank(), name: name, in: dir).path)")
        case "collections":
            let storage = try await open(migrationsDir: nil)
            // Every collection, system ones included, oldest first (like PocketBase).
            print("Successfully created file \(try write(MigrationTemplates.snapshot(storage.collections), name: "collections_snapshot", in: dir).path)")
        case "up":
            _ = try await MigrationsDirOption.reporting { try await open(migrationsDir: dir, log: { print($0) }) }
            print("Done.")
        case "down":
            let count = argument.flatMap(Int.init) ?? 1
            let storage = try await open(migrationsDir: nil)
            let reverted = try await MigrationsDirOption.reporting {
                try await MigrationRunner(storage: storage, directory: dir).down(count, log: { print($0) })
            }
            print(reverted.isEmpty ? "No migrations to revert." : "Reverted \(reverted.count) migration(s).")
        case "history-sync":
            let storage = try await open(migrationsDir: nil)
            let removed = try await MigrationRunner(storage: storage, directory: dir).historySync(systemMigrations: Storage.systemMigrationFiles)
            print(removed.isEmpty ? "The migrations history is in sync." : "Removed \(removed.count) stale entries: \(removed.joined(separator: ", "))")
        default:
            throw ValidationError("unknown migrate action \(action): use up, down, create, collections or history-sync")
        }
    }

    func open(migrationsDir: URL?, log: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Storage {
        let config = try DevServerConfiguration.resolve(
            dataDir: data.url, host: "127.0.0.1", port: 0, fixtures: nil, realSpotify: false, migrationsDir: migrationsDir, environment: .load(),
            logger: .init(label: "sptfy-dev"))
        return try await DevServer.prepare(config, log: log).0
    }

    func write(_ text: String, name: String, in dir: URL) throws -> URL {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(MigrationTemplates.fileName(name))
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
