import ArgumentParser
import DevServer
import Foundation

struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Put a data dir back to its initial state (the fixtures it was created with); a running server sees it at once.")
    @OptionGroup var data: DataDirOptions

    func run() async throws {
        let storage = try Storage(dataDir: data.url)
        let clock = ContinuousClock()
        let took = try await clock.measure { try await storage.restoreSnapshot(Storage.initialSnapshot) }
        print("reset \(data.url.path) to its initial state in \(took)")
    }
}

struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "Save, restore or list named snapshots of a data dir.")
    @Argument(help: "save, restore or list") var action: String
    @Argument(help: "Snapshot name (A-Z a-z 0-9 - _).") var name: String?
    @OptionGroup var data: DataDirOptions

    func run() async throws {
        let storage = try Storage(dataDir: data.url)
        switch action {
        case "save": try await storage.saveSnapshot(try required()); print("saved \(name!)")
        case "restore": try await storage.restoreSnapshot(try required()); print("restored \(name!)")
        case "list": for n in storage.snapshotNames() { print(n) }
        default: throw ValidationError("action must be save, restore or list")
        }
    }

    func required() throws -> String {
        guard let name else { throw ValidationError("a snapshot name is required") }
        return name
    }
}
