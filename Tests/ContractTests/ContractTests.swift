import ContractSuite
import DevServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TurnstileStub

extension Scenario: CustomTestStringConvertible {
    public var testDescription: String { name }
}

/// The contract suite against our server: in-process (one fresh data dir per scenario), over a real socket,
/// and — when CONTRACT_BASE_URL is set — against any other instance (the reference PocketBase in CI).
@Suite struct ContractTests {
    /// Our server serves the Turnstile stub itself (its gate's default verifier).
    static func target(_ client: any ContractClient) -> ContractTarget {
        ContractTarget(
            client: client, superuserEmail: DevServerConfiguration.defaultSuperuserEmail,
            superuserPassword: DevServerConfiguration.defaultSuperuserPassword,
            capabilities: client is RemoteClient ? [.http, .cors, .spotifyStub, .turnstileStub, .realtime] : [.http, .cors, .spotifyStub, .turnstileStub],
            turnstile: client)
    }

    /// Strict Turnstile, like the reference's standalone stub in CI.
    static func application(_ storage: Storage, port: Int = 8090) -> some ApplicationProtocol {
        DevServer.buildApplication(storage: storage, port: port, apps: [SptfyApp(SptfyOptions(turnstile: TurnstileStub(.init(strict: true))))])
    }

    @Test(arguments: Scenarios.all)
    func inProcess(_ scenario: Scenario) async throws {
        let storage = try await TestData.freshStorage()
        try await Self.application(storage).test(.router) { client in
            let target = Self.target(InProcessClient(client: client))
            // Streaming scenarios (realtime) need a socket; the live-server test runs them.
            guard scenario.requires.isSubset(of: target.capabilities) else { return }
            if let failure = await ContractRunner.run(scenario, on: target) {
                Issue.record(Comment(rawValue: failure))
            }
        }
    }

    @Test func liveServer() async throws {
        let storage = try await TestData.freshStorage()
        try await Self.application(storage, port: 0).test(.live) { client in
            let target = Self.target(RemoteClient(baseURL: "http://127.0.0.1:\(client.port!)"))
            let summary = await ContractRunner.run(Scenarios.all, on: target) { _ in }
            for (name, failure) in summary.failures { Issue.record(Comment(rawValue: "\(name): \(failure)")) }
            #expect(summary.passed == Scenarios.all.count)
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CONTRACT_BASE_URL"] != nil))
    func remote() async throws {
        let env = ProcessInfo.processInfo.environment
        let target = ContractTarget(
            client: RemoteClient(baseURL: env["CONTRACT_BASE_URL"]!),
            superuserEmail: env["CONTRACT_SUPERUSER_EMAIL"] ?? DevServerConfiguration.defaultSuperuserEmail,
            superuserPassword: env["CONTRACT_SUPERUSER_PASSWORD"] ?? DevServerConfiguration.defaultSuperuserPassword,
            capabilities: env["CONTRACT_NO_SPOTIFY_STUB"] == nil
                ? [.http, .cors, .spotifyStub, .turnstileStub, .realtime] : [.http, .cors, .turnstileStub, .realtime],
            turnstile: env["CONTRACT_TURNSTILE_URL"].map { RemoteClient(baseURL: $0) })
        let summary = await ContractRunner.run(Scenarios.all, on: target) { _ in }
        for (name, failure) in summary.failures { Issue.record(Comment(rawValue: "\(name): \(failure)")) }
        #expect(summary.passed + summary.skipped == Scenarios.all.count)
        #expect(summary.failed == 0)
    }
}
