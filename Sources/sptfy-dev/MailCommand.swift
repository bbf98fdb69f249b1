import ArgumentParser
import ContractSuite
import DevServer
import Foundation
import Hummingbird
import Logging

struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mail", abstract: "List the mail the dev server captured instead of sending.")
    @OptionGroup var data: DataDirOptions
    @Flag(help: "Print the HTML bodies too.") var full = false

    func run() async throws {
        let messages = DevMailbox(dataDir: data.url).all
        if messages.isEmpty { print("(no mail)") }
        for m in messages {
            print("\(m.sentAt)  to \(m.to)  \(m.subject)")
            if full { print(m.html + "\n") }
        }
    }
}
