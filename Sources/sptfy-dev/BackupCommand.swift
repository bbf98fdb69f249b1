import ArgumentParser
import Foundation
import PocketBase

/// `sptfy-dev backup create|list|restore|delete`: the dashboard's backups on a data dir, without a server. The archives
/// are PocketBase's (pb_data/backups/*.zip), so real PocketBase lists and restores them too.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Create, list, restore or delete backups of a data dir (PocketBase's zip format).",
        subcommands: [Create.self, List.self, Restore.self, Delete.self])

    struct DirOption: ParsableArguments {
        @Option(name: .long, help: "The pb_data directory.") var dir: String = "pb_data"

        func storage() throws -> Storage {
            let url = URL(fileURLWithPath: dir)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("data.db").path) else {
                throw ValidationError("No data dir at \(url.path) (missing data.db).")
            }
            return try Storage(dataDir: url)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Archive the data dir into pb_data/backups (default name like PocketBase's).")
        @OptionGroup var options: DirOption
        @Argument(help: "Backup name (`[a-z0-9_-]+.zip`); empty: pb_backup_<app>_<timestamp>.zip.") var name: String = ""

        func run() async throws {
            let storage = try options.storage()
            let key = name.isEmpty ? storage.defaultBackupName() : name
            guard name.isEmpty || key.range(of: #"^[a-z0-9_-]+\.zip$"#, options: .regularExpression) != nil, key.count <= 150 else {
                throw ValidationError("Backup names are 1–150 characters of a-z 0-9 _ - ending in .zip.")
            }
            try await storage.createBackup(name: key)
            print("created \(storage.backupsDir.appendingPathComponent(key).path)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the backups (key, size, modified).")
        @OptionGroup var options: DirOption

        func run() async throws {
            for file in try await options.storage().backupFiles() {
                print("\(file.key)\t\(file.size)\t\(PBDate.format(file.modified))")
            }
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace the data dir's data with a backup (stop the server first, as PocketBase restarts).")
        @OptionGroup var options: DirOption
        @Argument(help: "The backup's key (file name in pb_data/backups).") var key: String

        func run() async throws {
            try await options.storage().restoreBackup(key)
            print("restored \(key)")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a backup.")
        @OptionGroup var options: DirOption
        @Argument(help: "The backup's key.") var key: String

        func run() async throws {
            try await options.storage().deleteBackup(key)
            print("deleted \(key)")
        }
    }
}
