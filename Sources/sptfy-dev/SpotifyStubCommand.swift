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
        let (host, port) = try HostPort.parse(http)
        guard allowRemote || HostPort.isLoopback(host) else { throw ValidationError("Refusing to bind \(host) without --allow-remote.") }
        let stub = SpotifyStub()
        let router = Router()
        stub.register(on: router)
        var logger = Logger(label: "spotify-stub")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
        FileHandle.standardOutput.write(Data("""
            Spotify stub on http://\(host):\(port)\(SpotifyStub.prefix)
              client id / secret: \(stub.clientID) / \(stub.clientSecret)
              authURL \(SpotifyStub.prefix)/authorize  tokenURL \(SpotifyStub.prefix)/api/token  userInfoURL \(SpotifyStub.prefix)/v1/me

            """.utf8))
        try await app.runService()
    }
}
