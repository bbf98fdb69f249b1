import ArgumentParser
import ContractSuite
import DevServer
import Foundation
import Hummingbird
import Logging

struct Contract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the contract scenarios against any PocketBase-compatible base URL.")

    @Option(help: "Base URL of the instance (or CONTRACT_BASE_URL).")
    var baseUrl: String?

    @Option(help: "Superuser email (or CONTRACT_SUPERUSER_EMAIL).")
    var email: String?

    @Option(help: "Superuser password (or CONTRACT_SUPERUSER_PASSWORD).")
    var password: String?

    @Option(help: "Only run scenarios whose name contains this text.")
    var filter: String?

    @Flag(help: "Skip scenarios tagged destructive.")
    var noDestructive = false

    @Flag(help: "The target has no Spotify stub provider configured (skip OAuth2 scenarios).")
    var noSpotifyStub = false

    @Option(help: "Base URL of the TurnstileStub the target verifies against (or CONTRACT_TURNSTILE_URL; default: the base URL, as sptfy-dev serves it).")
    var turnstileUrl: String?

    @Flag(help: "No TurnstileStub is reachable (skip the scenarios that mint widget tokens).")
    var noTurnstileStub = false

    @Option(help: "Which profile's scenarios: `production` (default) or `guide` (a target serving the guide's model).")
    var profile: Profile = .production

    func run() async throws {
        let env = DevEnvironment.load()
        guard let base = baseUrl ?? env.nonEmpty("CONTRACT_BASE_URL") else {
            throw ValidationError("--base-url or CONTRACT_BASE_URL is required")
        }
        let target = ContractTarget(
            client: RemoteClient(baseURL: base),
            superuserEmail: email ?? env.nonEmpty("CONTRACT_SUPERUSER_EMAIL") ?? DevServerConfiguration.defaultSuperuserEmail,
            superuserPassword: password ?? env.nonEmpty("CONTRACT_SUPERUSER_PASSWORD") ?? DevServerConfiguration.defaultSuperuserPassword,
            capabilities: noSpotifyStub ? [.http, .cors, .turnstileStub, .realtime] : [.http, .cors, .spotifyStub, .turnstileStub, .realtime],
            turnstile: noTurnstileStub ? nil : RemoteClient(baseURL: turnstileUrl ?? env.nonEmpty("CONTRACT_TURNSTILE_URL") ?? base))
        // Fail fast with a clear message when the credentials are wrong (every scenario would fail otherwise).
        let probe = try await target.client.send(ContractRequest(
            "POST", "/api/collections/_superusers/auth-with-password", headers: [("Content-Type", "application/json")],
            body: Array(JSONValue.obj(["identity": .string(target.superuserEmail), "password": .string(target.superuserPassword)]).encoded().utf8)))
        guard probe.status == 200 else {
            throw CLIError(
                "superuser login at \(base) failed (HTTP \(probe.status)): check --email/--password or CONTRACT_SUPERUSER_EMAIL/CONTRACT_SUPERUSER_PASSWORD")
        }
        var excluded: Set<ScenarioTag> = []
        if noDestructive { excluded.insert(.destructive) }
        let summary = await ContractRunner.run(profile == .guide ? Scenarios.guide : Scenarios.all, on: target, nameFilter: filter, excluding: excluded) { line in
            print(line)
        }
        print("\(summary.passed) passed, \(summary.failed) failed, \(summary.skipped) skipped")
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
