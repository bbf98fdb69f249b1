import Foundation
import PBJSON

public enum ScenarioTag: String, Sendable, Hashable, CaseIterable {
    case readOnly = "read-only"
    case mutating
    case destructive
    case needsSuperuser = "needs-superuser"
}

/// What a target can do beyond plain HTTP to the API.
public enum Capability: String, Sendable, Hashable {
    case http
    /// CORS middleware is active (real servers; also our in-process router, which always installs it).
    case cors
    /// The users collection's `spotify` provider points at sptfy-dev's Spotify stub.
    case spotifyStub
    /// The target's Turnstile gate verifies against a sptfy-dev TurnstileStub the suite can reach
    /// (`ContractTarget.turnstile`) with the always-pass test secret.
    case turnstileStub
    /// The target is a real socket (`RemoteClient`): realtime SSE streams can be read while requests go on.
    case realtime
}

/// A contract scenario: observable HTTP behaviour only, written once, run against every target.
public struct Scenario: Sendable, CustomStringConvertible {
    public let name: String
    public let tags: Set<ScenarioTag>
    public let requires: Set<Capability>
    public let body: @Sendable (ScenarioContext) async throws -> Void

    public init(
        _ name: String, tags: Set<ScenarioTag>, requires: Set<Capability> = [.http],
        _ body: @escaping @Sendable (ScenarioContext) async throws -> Void
    ) {
        self.name = name
        self.tags = tags
        self.requires = requires
        self.body = body
    }

    public var description: String { name }
}

/// A target to run scenarios against.
public struct ContractTarget: Sendable {
    public var client: any ContractClient
    public var superuserEmail: String
    public var superuserPassword: String
    public var capabilities: Set<Capability>
    /// The TurnstileStub the target verifies against (mints widget tokens); `.turnstileStub` needs it.
    public var turnstile: (any ContractClient)?

    public init(
        client: any ContractClient, superuserEmail: String, superuserPassword: String, capabilities: Set<Capability>,
        turnstile: (any ContractClient)? = nil
    ) {
        self.client = client
        self.superuserEmail = superuserEmail
        self.superuserPassword = superuserPassword
        self.capabilities = turnstile == nil ? capabilities.subtracting([.turnstileStub]) : capabilities
        self.turnstile = turnstile
    }
}

public enum ContractRunner {
    public struct Summary: Sendable {
        public var passed = 0
        public var failed = 0
        public var skipped = 0
        public var failures: [(String, String)] = []
    }

    /// Runs one scenario: always runs its cleanups, returns nil on success or the failure text.
    public static func run(_ scenario: Scenario, on target: ContractTarget) async -> String? {
        let ctx = ScenarioContext(target: target)
        var failure: String?
        do {
            try await scenario.body(ctx)
        } catch {
            failure = "\(error)"
        }
        await ctx.runCleanups()
        return failure
    }

    public static func run(
        _ scenarios: [Scenario], on target: ContractTarget, nameFilter: String? = nil, excluding: Set<ScenarioTag> = [],
        log: (String) -> Void
    ) async -> Summary {
        var summary = Summary()
        for s in scenarios {
            if let nameFilter, !s.name.contains(nameFilter) { continue }
            if !s.requires.isSubset(of: target.capabilities) || !s.tags.isDisjoint(with: excluding) {
                summary.skipped += 1
                log("SKIP \(s.name)")
                continue
            }
            if let failure = await run(s, on: target) {
                summary.failed += 1
                summary.failures.append((s.name, failure))
                log("FAIL \(s.name): \(failure)")
            } else {
                summary.passed += 1
                log("PASS \(s.name)")
            }
        }
        return summary
    }
}
