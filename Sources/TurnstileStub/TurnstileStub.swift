import Foundation
import PBJSON

/// An offline Cloudflare Turnstile: siteverify with the documented test-key semantics, and (strict mode) tokens
/// minted by the widget stub that are single-use, expire, and honour `idempotency_key` replays.
public actor TurnstileStub {
    public struct Options: Sendable {
        /// Widget tokens are unique and checked like real ones (real test keys lack this).
        public var strict: Bool
        /// Minted tokens expire this long after issue (Cloudflare: 300 s).
        public var tokenLifetime: TimeInterval
        /// Injectable so tests can move time.
        public var clock: @Sendable () -> Date
        /// Verifications are appended here as JSON lines (readable from another process).
        public var logFile: URL?

        public init(
            strict: Bool = false, tokenLifetime: TimeInterval = 300, clock: @escaping @Sendable () -> Date = { Date() }, logFile: URL? = nil
        ) {
            self.strict = strict
            self.tokenLifetime = tokenLifetime
            self.clock = clock
            self.logFile = logFile
        }
    }

    struct MintedToken {
        var issuedAt: Date
        var hostname: String?
        var action: String?
        var cdata: String?
    }

    struct Redemption {
        var idempotencyKey: String?
        var result: SiteverifyResult
    }

    public nonisolated let options: Options
    var minted: [String: MintedToken] = [:]
    var redeemed: [String: Redemption] = [:]
    var log: [VerificationLogEntry] = []

    public init(_ options: Options = Options()) {
        self.options = options
    }

    /// Issues a token for a widget (strict mode: unique; otherwise the dummy token). Failing or unknown sitekeys
    /// get none, as their widgets only call `error-callback`.
    public func mint(sitekey: String, hostname: String? = nil, action: String? = nil, cdata: String? = nil) -> String? {
        guard TurnstileTestKeys.passingSitekeys.contains(sitekey) else { return nil }
        guard options.strict else { return TurnstileTestKeys.dummyToken }
        var bytes = [UInt8](repeating: 0, count: 24)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let token = "0.sptfy-dev." + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        minted[token] = MintedToken(issuedAt: options.clock(), hostname: hostname, action: action, cdata: cdata)
        return token
    }

    /// Answers one siteverify call and records it.
    public func verify(_ request: SiteverifyRequest) -> SiteverifyResult {
        let result = evaluate(request)
        record(request, result)
        return result
    }

    func evaluate(_ request: SiteverifyRequest) -> SiteverifyResult {
        let secret = request.secret ?? "", token = request.response ?? ""
        let testing = TurnstileTestKeys.secrets.contains(secret)
        var missing: [String] = []
        if secret.isEmpty { missing.append("missing-input-secret") }
        if token.isEmpty { missing.append("missing-input-response") }
        if !missing.isEmpty { return .failure(missing, testingKey: testing) }
        if token.count > TurnstileTestKeys.maxTokenLength { return .failure(["invalid-input-response"], testingKey: testing) }
        if let key = request.idempotencyKey, !key.isEmpty, UUID(uuidString: key) == nil {
            return .failure(["invalid-idempotency-key"], testingKey: testing)
        }
        switch secret {
        case TurnstileTestKeys.failSecret: return .failure(["invalid-input-response"], testingKey: true)
        case TurnstileTestKeys.spentSecret: return .failure(["timeout-or-duplicate"], testingKey: true)
        case TurnstileTestKeys.passSecret:
            if token == TurnstileTestKeys.dummyToken {
                return SiteverifyResult(
                    success: true, challengeTS: SiteverifyResult.timestamp(options.clock()), hostname: "example.com", testingKey: true)
            }
            if options.strict, minted[token] != nil { return redeem(token, idempotencyKey: request.idempotencyKey) }
            // Test secrets only accept the dummy token (Cloudflare, since Dec 2024).
            return .failure(["invalid-input-secret"], testingKey: true)
        default:
            // Any other secret is a production secret this stub cannot know: refuse (fail closed).
            return .failure(["invalid-input-secret"], testingKey: false)
        }
    }

    /// Strict mode: first redemption wins; a retry with the same idempotency key replays its answer.
    func redeem(_ token: String, idempotencyKey: String?) -> SiteverifyResult {
        if let previous = redeemed[token] {
            if let key = idempotencyKey, !key.isEmpty, key.lowercased() == previous.idempotencyKey?.lowercased() { return previous.result }
            return .failure(["timeout-or-duplicate"], testingKey: true)
        }
        guard let t = minted[token] else { return .failure(["invalid-input-response"], testingKey: true) }
        let result: SiteverifyResult
        if options.clock().timeIntervalSince(t.issuedAt) > options.tokenLifetime {
            result = .failure(["timeout-or-duplicate"], testingKey: true)
        } else {
            result = SiteverifyResult(
                success: true, challengeTS: SiteverifyResult.timestamp(t.issuedAt), hostname: t.hostname ?? "example.com", action: t.action,
                cdata: t.cdata, testingKey: true)
        }
        redeemed[token] = Redemption(idempotencyKey: idempotencyKey, result: result)
        return result
    }

    func record(_ request: SiteverifyRequest, _ result: SiteverifyResult) {
        let entry = VerificationLogEntry(time: SiteverifyResult.timestamp(options.clock()), request: request, result: result)
        log.append(entry)
        guard let file = options.logFile else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let line = Data((entry.json.encoded() + "\n").utf8)
        if let h = try? FileHandle(forWritingTo: file) {
            defer { try? h.close() }
            _ = try? h.seekToEnd()
            try? h.write(contentsOf: line)
        } else {
            try? line.write(to: file)
        }
    }

    /// Every verification answered so far, oldest first.
    public func verifications() -> [VerificationLogEntry] { log }
}

/// One siteverify call as a developer reads it back (the token shortened, the secret named by its test role).
public struct VerificationLogEntry: Sendable, Equatable {
    public var time: String
    public var secret: String
    public var token: String
    public var remoteip: String?
    public var idempotencyKey: String?
    public var success: Bool
    public var errorCodes: [String]

    init(time: String, request: SiteverifyRequest, result: SiteverifyResult) {
        self.time = time
        self.secret = TurnstileStub.describeSecret(request.secret ?? "")
        let token = request.response ?? ""
        self.token = token.count > 40 ? String(token.prefix(32)) + "…(\(token.count) chars)" : token
        self.remoteip = request.remoteip
        self.idempotencyKey = request.idempotencyKey
        self.success = result.success
        self.errorCodes = result.errorCodes
    }

    public init?(_ v: JSONValue) {
        guard let time = v["time"]?.stringValue, let success = v["success"]?.boolValue else { return nil }
        self.time = time
        self.secret = v["secret"]?.stringValue ?? ""
        self.token = v["token"]?.stringValue ?? ""
        self.remoteip = v["remoteip"]?.stringValue
        self.idempotencyKey = v["idempotency_key"]?.stringValue
        self.success = success
        self.errorCodes = v["error-codes"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

}

extension TurnstileStub {
    /// A secret named by its test role (never printed whole).
    public static func describeSecret(_ s: String) -> String {
        switch s {
        case "": "(none)"
        case TurnstileTestKeys.passSecret: "test: always passes (1x)"
        case TurnstileTestKeys.failSecret: "test: always fails (2x)"
        case TurnstileTestKeys.spentSecret: "test: token spent (3x)"
        default: "other (\(s.prefix(4))…)"
        }
    }
}

extension VerificationLogEntry {

    public var json: JSONValue {
        var o = JSONObject([("time", .string(time)), ("secret", .string(secret)), ("token", .string(token))])
        if let remoteip { o["remoteip"] = .string(remoteip) }
        if let idempotencyKey { o["idempotency_key"] = .string(idempotencyKey) }
        o["success"] = .bool(success)
        o["error-codes"] = .array(errorCodes.map(JSONValue.string))
        return .object(o)
    }

    /// One line for terminals.
    public var summary: String {
        "\(time)  \(success ? "PASS" : "FAIL \(errorCodes.joined(separator: ","))")  token=\(token)  secret=\(secret)"
            + (remoteip.map { "  remoteip=\($0)" } ?? "") + (idempotencyKey.map { "  idempotency_key=\($0)" } ?? "")
    }
}
