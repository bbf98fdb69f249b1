import ArgumentParser
import ContractSuite
import DevServer
import Foundation
import Hummingbird
import Logging

struct SpotifyStubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spotify-stub", abstract: "Serve the offline Spotify OAuth2 stub alone (for real PocketBase's provider URL overrides).")

    @Option(help: "HOST:PORT to listen on.") var http = "127.0.0.1:8091"
    @Flag(help: "Allow binding a non-loopback address.") var allowRemote = false

    func run() async throws {
        let stub = SpotifyStub()
        try await StandaloneStub.run(label: "spotify-stub", http: http, allowRemote: allowRemote) { host, port in
            """
            Spotify stub on http://\(host):\(port)\(SpotifyStub.prefix)
              client id / secret: \(stub.clientID) / \(stub.clientSecret)
              authURL \(SpotifyStub.prefix)/authorize  tokenURL \(SpotifyStub.prefix)/api/token  userInfoURL \(SpotifyStub.prefix)/v1/me

            """
        } register: { stub.register(on: $0) }
    }
}
