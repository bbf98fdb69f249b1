import Foundation

/// One `rateLimits.rules` entry: a label (tag, `coll:tag`, `*:tag`, path, `METHOD path`, or a path prefix ending in
/// `/`), who it applies to, and how many requests per `duration` seconds it allows.
public struct RateLimitRule: Sendable, Equatable {
    public var label: String
    /// "" (everyone), "@guest" or "@auth".
    public var audience: String
    public var duration: Int
    public var maxRequests: Int

    public init(label: String, audience: String = "", duration: Int, maxRequests: Int) {
        self.label = label
        self.audience = audience
        self.duration = duration
        self.maxRequests = maxRequests
    }

    init(_ o: JSONObject) {
        self.init(label: o.string("label"), audience: o.string("audience"), duration: o.int("duration"), maxRequests: o.int("maxRequests"))
    }

    /// PocketBase's label pattern `^(\w+\ \/[\w\/-]*|\/[\w\/-]*|^\w+\:\w+|\*\:\w+|\w+)$`, matched by hand (ASCII `\w`).
    static func isValidLabel(_ label: String) -> Bool {
        let b = Array(label.utf8)[...]
        let word = GoValidator.isWordByte
        func pathTail(_ s: ArraySlice<UInt8>) -> Bool { s.allSatisfy { word($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "-") } }
        guard let first = b.first else { return false }
        if b.allSatisfy(word) { return true }  // tag
        if first == UInt8(ascii: "/") { return pathTail(b.dropFirst()) }  // path
        if let colon = b.firstIndex(of: UInt8(ascii: ":")) {  // coll:tag, *:tag
            let head = b[..<colon], tail = b[(colon + 1)...]
            let headOK = head.elementsEqual([UInt8(ascii: "*")]) || (!head.isEmpty && head.allSatisfy(word))
            return headOK && !tail.isEmpty && tail.allSatisfy(word)
        }
        if let space = b.firstIndex(of: UInt8(ascii: " ")) {  // METHOD path
            let head = b[..<space], tail = b[(space + 1)...]
            return !head.isEmpty && head.allSatisfy(word) && tail.first == UInt8(ascii: "/") && pathTail(tail.dropFirst())
        }
        return false
    }

    /// The first rule whose `label@@audience` is a prefix of an earlier one's, or the other way round (so a label for
    /// everyone conflicts with the same label for guests or users, while `@guest` and `@auth` variants coexist).
    static func firstConflict(_ rules: [RateLimitRule]) -> (index: Int, label: String)? {
        var existing: [[UInt8]] = []
        for (i, rule) in rules.enumerated() {
            let key = Array((rule.label + "@@" + rule.audience).utf8)
            if existing.contains(where: { $0.starts(with: key) || key.starts(with: $0) }) { return (i, rule.label) }
            existing.append(key)
        }
        return nil
    }
}

/// The `rateLimits` settings section, parsed once per settings change.
public struct RateLimits: Sendable, Equatable {
    public var enabled: Bool
    public var rules: [RateLimitRule]

    public init(enabled: Bool, rules: [RateLimitRule]) {
        self.enabled = enabled
        self.rules = rules
    }

    init(settings: JSONObject) {
        let section = settings.section("rateLimits")
        enabled = section.bool("enabled")
        rules = (section["rules"]?.arrayValue ?? []).compactMap { $0.objectValue.map(RateLimitRule.init) }
    }

    public static let guestAudiences = ["", "@guest"]
    public static let authAudiences = ["", "@auth"]

    /// PocketBase's `FindRateLimitRule`: for each search label in order, the first rule with exactly that label,
    /// else the first prefix rule (label ending in `/`) that `label + "/"` starts with; rules whose audience is not
    /// in `audiences` are passed over.
    public func find(_ labels: [String], audiences: [String]) -> RateLimitRule? {
        let prefixRules = rules.filter { $0.label.hasSuffix("/") }
        for label in labels {
            if let rule = rules.first(where: { $0.label.utf8.elementsEqual(label.utf8) && audiences.contains($0.audience) }) { return rule }
            let withSlash = Array((label + "/").utf8)
            if let rule = prefixRules.first(where: { withSlash.starts(with: $0.label.utf8) && audiences.contains($0.audience) }) { return rule }
        }
        return nil
    }
}
