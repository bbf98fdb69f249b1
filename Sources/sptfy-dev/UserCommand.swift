import ArgumentParser
import ContractSuite
import DevServer
import Foundation
import Hummingbird
import Logging

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a users record with a password (like a fixture user).")
        @Argument(help: "Username.") var username: String
        @Argument(help: "Password (min 8 characters).") var password: String
        @Option(help: "Email.") var email: String = ""
        @Option(help: "Display name.") var name: String = ""
        @Option(help: "Spotify user id.") var spotifyID: String = ""
        @Flag(help: "Mark as onboarded.") var onboarded = false
        @OptionGroup var data: DataDirOptions

        func run() async throws {
            let storage = try await SuperuserCommand.open(data)
            var body = JSONObject([
                ("username", .string(username)), ("password", .string(password)), ("passwordConfirm", .string(password)),
                ("name", .string(name)), ("spotify_id", .string(spotifyID)), ("onboarded", .bool(onboarded)),
            ])
            if !email.isEmpty { body["email"] = .string(email) }
            do {
                let record = try await storage.createRecordAsSuperuser("users", values: body)
                print("Created user \(record.string("username")) (id \(record.id)).")
            } catch let e as APIError {
                throw CLIError(e.message + (e.data.isEmpty ? "" : " " + JSONValue.object(e.data).encoded()))
            }
        }
    }
}
