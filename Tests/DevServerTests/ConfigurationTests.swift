import Fixtures
import Foundation
import Logging
import Testing

@testable import DevServer
@testable import PocketBase

/// One configuration from flags, environment and `.env` (issue 12).
@Suite struct ConfigurationTests {
    @Test func dotEnvLines() {
        let parsed = DevEnvironment.parseDotEnv(
            """
            # comment
            SPTFY_DEV_SUPERUSER_EMAIL=dev@example.com
            export IP_API_URL = http://127.0.0.1:9 # trailing comment
            CF_SECRET_KEY=
            QUOTED="a \\"b\\"\\nc"
            SINGLE='x # not a comment'
            no equals sign
            =novalue
            """)
        #expect(parsed["SPTFY_DEV_SUPERUSER_EMAIL"] == "dev@example.com")
        #expect(parsed["IP_API_URL"] == "http://127.0.0.1:9")
        #expect(parsed["CF_SECRET_KEY"] == "")
        #expect(parsed["QUOTED"] == "a \"b\"\nc")
        #expect(parsed["SINGLE"] == "x # not a comment")
        #expect(parsed.count == 5)
    }

    @Test func processEnvironmentWinsOverTheFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("env-\(UUID().uuidString)")
        try "A=file\nB=file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let env = DevEnvironment.load(process: ["B": "process"], dotEnv: file)
        #expect(env["A"] == "file" && env["B"] == "process")
        #expect(DevEnvironment.load(process: [:], dotEnv: file.appendingPathExtension("missing")).values.isEmpty)
    }

    @Test func resolveReadsEveryVariableOnce() throws {
        let dir = URL(fileURLWithPath: "/tmp/sptfy-config-test")
        let env = DevEnvironment([
            "SPTFY_DEV_SUPERUSER_EMAIL": "root@example.com", "SPTFY_DEV_SUPERUSER_PASSWORD": "",
            "CF_SECRET_KEY": "", "TURNSTILE_VERIFY_URL": "http://127.0.0.1:7/verify", "TURNSTILE_STRICT": "1",
            "SPOTIFY_CLIENT_ID": "id", "SPOTIFY_CLIENT_SECRET": "secret",
        ])
        let config = try DevServerConfiguration.resolve(
            dataDir: dir, host: "127.0.0.1", port: 9999, fixtures: nil, realSpotify: true, environment: env, logger: Logger(label: "test"))
        #expect(config.superuserEmail == "root@example.com")
        #expect(config.superuserPassword == DevServerConfiguration.defaultSuperuserPassword)  // empty → default
        #expect(config.sptfy.cfSecretKey == nil)  // set but empty → no secret, like production
        #expect(config.sptfy.turnstileVerifyURL == "http://127.0.0.1:7/verify" && config.sptfy.turnstile.options.strict)
        #expect(config.spotify.clientID == "id" && config.spotify.stubBaseURL == nil)
        #expect(config.port == 9999)
        #expect(throws: ConfigurationError.self) {
            try DevServerConfiguration.resolve(
                dataDir: dir, host: "127.0.0.1", port: 1, fixtures: nil, realSpotify: true, environment: DevEnvironment(), logger: Logger(label: "test"))
        }
        let login = DevServerConfiguration.superuserCredentials(email: "flag@example.com", password: nil, environment: env)
        #expect(login == ("flag@example.com", DevServerConfiguration.defaultSuperuserPassword))
    }

    /// `prepare` puts the configured provider into the users collection (real Spotify: absolute URLs, no stub).
    @Test func prepareUsesTheConfiguredSpotifyProvider() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-config-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let real = SpotifyProviderConfig(clientID: "real-id", clientSecret: "real-secret", stubBaseURL: nil)
        let (storage, fresh) = try await DevServer.prepare(DevServerConfiguration(dataDir: dir, spotify: real))
        #expect(fresh)
        let provider = storage.collection("users")?.oauth2Providers.first { $0["name"] == "spotify" }
        #expect(provider?["clientId"] == "real-id" && provider?["tokenURL"] == "")
    }
}
