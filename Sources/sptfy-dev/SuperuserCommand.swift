import ArgumentParser
import ContractSuite
import DevServer
import Foundation
import Hummingbird
import Logging

struct SuperuserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "superuser", abstract: "Manage superusers (like `pocketbase superuser`).", subcommands: [Upsert.self, Delete.self])

    struct Upsert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a superuser or reset its password.")
        @Argument var email: String
        @Argument var password: String
        @OptionGroup var data: DataDirOptions

        func run() async throws {
            let storage = try await SuperuserCommand.open(data)
            do {
                try await storage.upsertSuperuser(email: email, password: password)
            } catch let e as APIError {
                throw CLIError(e.message)
            }
            print("Successfully saved superuser \"\(email)\"!")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a superuser.")
        @Argument var email: String
        @OptionGroup var data: DataDirOptions

        func run() async throws {
            let storage = try await SuperuserCommand.open(data)
            do {
                try await storage.deleteSuperuser(email: email)
            } catch let e as APIError {
                throw CLIError(e.message)
            }
            print("Successfully deleted superuser \"\(email)\"!")
        }
    }

    static func open(_ data: DataDirOptions) async throws -> Storage {
        let storage = try Storage(dataDir: data.url)
        if try storage.bootstrapIfNeeded() {
            try await storage.importCollections(try SptfySchema.collections(), deleteMissing: false)
        }
        return storage
    }
}
