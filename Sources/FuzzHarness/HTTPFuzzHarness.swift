import DevServer
import Dispatch
import Fixtures
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded

/// Sends fuzzer-generated requests through sptfy-dev's router (the sptfy.in schema, hooks and the named fixture
/// records) in-process, and judges each answer. Used by the libFuzzer target (`scripts/fuzz-http.sh`) and by the
/// tests that replay the committed corpus and every crash found.
public final class HTTPFuzzHarness: Sendable {
    /// What one input produced; `finding` says why it counts as a bug (a 5xx PocketBase would not send).
    public struct Outcome: Sendable {
        public var status: Int
        public var body: [UInt8]
        public var finding: String?
    }

    let responder: GoRequestNormalizer<Router<AppRequestContext>>.Responder
    public let storage: Storage
    /// `$SU`, `$ALICE`, `$BOB`, `$BADTOKEN` → tokens, substituted into targets and header values.
    public let tokens: [String: String]
    private let runs = NIOLockedValueBox(0)
    /// Inputs may delete collections or records; the data dir is restored this often so later inputs still find
    /// the schema.
    static let resetEvery = 500

    init(responder: GoRequestNormalizer<Router<AppRequestContext>>.Responder, storage: Storage, tokens: [String: String]) {
        self.responder = responder
        self.storage = storage
        self.tokens = tokens
    }

    public static func make() async throws -> HTTPFuzzHarness {
        let storage = try await DataDirTemplate.shared.freshStorage(fixtures: FixtureOptions(scale: 0))
        // A realtime stream is read to its end here: idle clients are closed after 50 ms, not 5 minutes.
        storage.realtime.idleTimeout = .milliseconds(50)
        let responder = GoRequestNormalizer(DevServer.buildRouter(storage: storage)).buildResponder()
        let bare = HTTPFuzzHarness(responder: responder, storage: storage, tokens: [:])
        var tokens = ["$BADTOKEN": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.x"]
        let logins = [
            ("$SU", "_superusers", DevServerConfiguration.defaultSuperuserEmail, DevServerConfiguration.defaultSuperuserPassword),
            ("$ALICE", "users", NamedFixtures.alice.username, NamedFixtures.alice.password),
            ("$BOB", "users", NamedFixtures.bob.username, NamedFixtures.bob.password),
        ]
        for (name, collection, identity, password) in logins {
            let body = JSONValue.obj(["identity": .string(identity), "password": .string(password)]).encoded()
            let raw = "POST /api/collections/\(collection)/auth-with-password\nContent-Type: application/json\n\n\(body)"
            let outcome = await bare.run(Array(raw.utf8))
            guard let token = (try? JSONValue.parse(outcome.body))?["token"]?.stringValue else {
                throw HarnessError(message: "login as \(identity) failed: \(outcome.status) \(String(decoding: outcome.body, as: UTF8.self))")
            }
            tokens[name] = token
        }
        try await storage.saveSnapshot("fuzz-start")
        return HTTPFuzzHarness(responder: responder, storage: storage, tokens: tokens)
    }

    /// Runs one input and judges the answer.
    public func run(_ bytes: [UInt8]) async -> Outcome {
        let count = runs.withLockedValue { n in
            n += 1
            return n
        }
        if count % Self.resetEvery == 0 { try? await storage.restoreSnapshot("fuzz-start") }
        let fuzz = FuzzRequest(bytes, tokens: tokens)
        var headers = fuzz.headers
        if headers[.contentLength] == nil, !fuzz.body.isEmpty { headers[.contentLength] = String(fuzz.body.count) }
        let request = Request(
            head: HTTPRequest(method: fuzz.method, scheme: "http", authority: "127.0.0.1", path: fuzz.target, headerFields: headers),
            body: RequestBody(buffer: ByteBuffer(bytes: fuzz.body)))
        let context = AppRequestContext(
            source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: Logger(label: "fuzz")))
        let response: Response
        do {
            response = try await responder.respond(to: request, context: context)
        } catch {
            // The conventions middleware maps every error to an envelope: one escaping it is a bug.
            return Outcome(status: 500, body: [], finding: "error escaped the middleware: \(error)")
        }
        let writer = CollectingWriter()
        try? await response.body.write(writer)
        let body = writer.collected.withLockedValue { $0 }
        let status = Int(response.status.code)
        return Outcome(status: status, body: body, finding: Self.judge(fuzz, status: status, body: body))
    }

    /// The synchronous form libFuzzer's callback needs (its thread is not one of the concurrency pool's).
    public func runBlocking(_ bytes: [UInt8]) -> Outcome {
        Self.blocking { await self.run(bytes) }
    }

    /// Waits on the calling (non-pool) thread for async work: libFuzzer drives the harness synchronously.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let result = NIOLockedValueBox<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await work()
            result.withLockedValue { $0 = value }
            done.signal()
        }
        done.wait()
        guard let value = result.withLockedValue({ $0 }) else { fatalError("the task signalled without a result") }  // unreachable
        return value
    }

    /// A 5xx is a finding, except a batch's: PocketBase itself answers 500 for a failing sub-request after the first.
    static func judge(_ request: FuzzRequest, status: Int, body: [UInt8]) -> String? {
        guard status >= 500 else { return nil }
        let text = String(decoding: body, as: UTF8.self)
        if request.target.hasPrefix("/api/batch"), text.contains("batch_request_failed") { return nil }
        return "\(status) for \(request.method.rawValue) \(request.target): \(text.prefix(300))"
    }

    public static func makeBlocking() -> HTTPFuzzHarness {
        let made: Result<HTTPFuzzHarness, any Error> = blocking {
            do { return .success(try await make()) } catch { return .failure(error) }
        }
        switch made {
        case .success(let harness): return harness
        case .failure(let error): fatalError("fuzz harness setup failed: \(error)")  // setup, never a request
        }
    }
}

public struct HarnessError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Collects a response body (what the server would write to the socket); copies share the box.
struct CollectingWriter: ResponseBodyWriter {
    let collected = NIOLockedValueBox<[UInt8]>([])

    mutating func write(_ buffer: ByteBuffer) async throws {
        collected.withLockedValue { $0 += Array(buffer.readableBytesView) }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
