import ArgumentParser
import ContractSuite
import DevServer
import Foundation
import PBJSON

/// `--url`: act on a running server through its dev endpoints (superuser, loopback) instead of on the data dir's
/// files; the server then also refreshes its schema cache (a restored state may have other collections).
struct RunningServerOptions: ParsableArguments {
    @Option(help: "A running sptfy-dev to act on through its API (instead of --dir).") var url: String?
    @Option(help: "Superuser email (with --url; or SPTFY_DEV_SUPERUSER_EMAIL).") var email: String?
    @Option(help: "Superuser password (with --url; or SPTFY_DEV_SUPERUSER_PASSWORD).") var password: String?

    /// Calls a dev endpoint as the superuser; the response body of a success.
    func call(_ method: String, _ path: String) async throws -> JSONValue {
        let client = RemoteClient(baseURL: url ?? "")
        let superuser = DevServerConfiguration.superuserCredentials(email: email, password: password, environment: .load())
        let credentials = JSONValue.obj(["identity": .string(superuser.email), "password": .string(superuser.password)])
        let login = try await client.send(ContractRequest(
            "POST", "/api/collections/_superusers/auth-with-password", headers: [("Content-Type", "application/json")],
            body: Array(credentials.encoded().utf8)))
        guard login.status == 200, let token = try? login.json()["token"]?.stringValue else {
            throw CLIError("superuser login at \(url ?? "") failed (HTTP \(login.status)): \(login.text)")
        }
        let response = try await client.send(ContractRequest(method, path, headers: [("Authorization", token)]))
        guard (200..<300).contains(response.status) else {
            throw CLIError("\(method) \(path): HTTP \(response.status) \(response.text)")
        }
        return response.body.isEmpty ? .null : try response.json()
    }
}

struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Put a data dir back to its initial state (the fixtures it was created with); a running server sees it at once.")
    @OptionGroup var data: DataDirOptions
    @OptionGroup var server: RunningServerOptions

    func run() async throws {
        let clock = ContinuousClock()
        if let url = server.url {
            let took = try await clock.measure { _ = try await server.call("POST", "/api/sptfy-dev/reset") }
            print("reset \(url) to its initial state in \(took)")
            return
        }
        let storage = try Storage(dataDir: data.url)
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
    @OptionGroup var server: RunningServerOptions

    func run() async throws {
        if server.url != nil {
            switch action {
            case "save": _ = try await server.call("POST", "/api/sptfy-dev/snapshots/\(try required())"); print("saved \(name!)")
            case "restore": _ = try await server.call("POST", "/api/sptfy-dev/snapshots/\(try required())/restore"); print("restored \(name!)")
            case "list": for n in try await server.call("GET", "/api/sptfy-dev/snapshots").arrayValue ?? [] { print(n.stringValue ?? "") }
            default: throw ValidationError("action must be save, restore or list")
            }
            return
        }
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
