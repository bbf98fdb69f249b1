import Foundation
import PBJSON

/// The parameters of one siteverify call, whatever body encoding carried them.
public struct SiteverifyRequest: Sendable, Decodable, Equatable {
    public var secret: String?
    public var response: String?
    public var remoteip: String?
    public var idempotencyKey: String?

    public init(secret: String?, response: String?, remoteip: String? = nil, idempotencyKey: String? = nil) {
        self.secret = secret
        self.response = response
        self.remoteip = remoteip
        self.idempotencyKey = idempotencyKey
    }

    enum CodingKeys: String, CodingKey {
        case secret, response, remoteip
        case idempotencyKey = "idempotency_key"
    }
}

/// Siteverify's answer, serialised with Cloudflare's key order.
public struct SiteverifyResult: Sendable, Equatable {
    public var success: Bool
    public var errorCodes: [String]
    public var challengeTS: String?
    public var hostname: String?
    public var action: String?
    public var cdata: String?
    /// `metadata.result_with_testing_key`: set on every answer given for a test secret.
    public var testingKey: Bool

    public static func failure(_ codes: [String], testingKey: Bool) -> SiteverifyResult {
        SiteverifyResult(success: false, errorCodes: codes, testingKey: testingKey)
    }

    public init(
        success: Bool, errorCodes: [String] = [], challengeTS: String? = nil, hostname: String? = nil, action: String? = nil,
        cdata: String? = nil, testingKey: Bool
    ) {
        self.success = success
        self.errorCodes = errorCodes
        self.challengeTS = challengeTS
        self.hostname = hostname
        self.action = action
        self.cdata = cdata
        self.testingKey = testingKey
    }

    /// Success: `success, error-codes, challenge_ts, hostname[, action, cdata], metadata`;
    /// failure: `success, error-codes, messages[, metadata]` — as Cloudflare answers for the test secrets.
    public var json: JSONValue {
        var o = JSONObject([("success", .bool(success)), ("error-codes", .array(errorCodes.map(JSONValue.string)))])
        if success {
            o["challenge_ts"] = .string(challengeTS ?? "")
            o["hostname"] = .string(hostname ?? "")
            if let action { o["action"] = .string(action) }
            if let cdata { o["cdata"] = .string(cdata) }
        } else {
            o["messages"] = .array([])
        }
        if testingKey { o["metadata"] = .obj(["result_with_testing_key": .bool(true)]) }
        return .object(o)
    }

    /// Cloudflare's timestamp format: ISO 8601 with milliseconds, UTC.
    public static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }
}
