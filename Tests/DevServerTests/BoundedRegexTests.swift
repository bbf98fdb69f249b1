import Fixtures
import Foundation
import Testing

@testable import PocketBase

/// Regular expressions on client input stay bounded: ICU backtracks where Go's RE2 (PocketBase) is linear.
@Suite struct BoundedRegexTests {
    /// The whole govalidator email pattern with no practical step limit: the oracle for short inputs.
    static let fullEmail = BoundedRegex(GoRegex.translate(RecordValidator.goEmailPattern), stepLimit: 1_000_000)

    @Test func matchesLikeNSRegularExpression() throws {
        for (pattern, text) in [("^[a-z]+$", "abc"), ("^$", ""), ("\\q", "q"), ("^\\w+$", "é"), ("x", ""), ("^[a-z]+$", "ab1")] {
            let ns = try NSRegularExpression(pattern: pattern)
            let expected = ns.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            #expect(BoundedRegex(pattern)?.firstMatch(in: text) == (expected ? .match : .noMatch), "\(pattern) on \(text)")
        }
        #expect(BoundedRegex("a{,3}") == nil)
        #expect(BoundedRegex("(") == nil)
    }

    /// A pattern that backtracks exponentially gives up at the step limit (ICU counts steps, so this is not timing).
    @Test func catastrophicPatternStopsAtTheStepLimit() throws {
        let nested = try #require(BoundedRegex("^(a+)+$"))
        #expect(nested.firstMatch(in: String(repeating: "a", count: 40) + "!") == .timedOut)
        #expect(nested.firstMatch(in: String(repeating: "a", count: 40)) == .match)
        // A linear scan of a long value stays well inside the limit.
        #expect(try #require(BoundedRegex("^[a-z]+$")).firstMatch(in: String(repeating: "a", count: 1_000_000)) == .match)
    }

    /// A field pattern that would backtrack for minutes makes the value invalid instead of holding a thread.
    @Test func fieldPatternPastTheLimitIsInvalidFormat() throws {
        let validator = RecordValidator(relationExists: { _, _ in true })
        let c = CollectionModel(
            id: "c", name: "c", type: .base, system: false, fields: [], indexes: [], options: JSONObject(), created: "", updated: "")
        let f = Field.make("text", "t", ["pattern": "^(a+)+$"])
        let slow = try validator.validate(field: f, value: .string(String(repeating: "a", count: 60) + "!"), record: Record(collection: c), isNew: true)
        #expect(slow?.code == "validation_invalid_format")
        #expect(try validator.validate(field: f, value: "aaaa", record: Record(collection: c), isNew: true) == nil)
        #expect(RecordValidator.compiledPatterns["^(a+)+$"] != nil)
    }

    @Test func regexCacheIsBounded() {
        let cache = BoundedCache<String, BoundedRegex?>(capacity: 4)
        for i in 0..<10 {
            #expect(cache.value("^a{\(i)}$") { BoundedRegex("^a{\(i)}$") }?.firstMatch(in: String(repeating: "a", count: i)) == .match)
        }
        #expect(cache.value("(") { BoundedRegex("(") } == nil)
        // Capacity 4: the eleventh entry started it over twice, so the first is gone and the last kept.
        #expect(cache["^a{0}$"] == nil)
        #expect(cache["^a{9}$"] != nil)
    }

    /// `a@a.a.a.…!`: the whole pattern backtracks exponentially in the domain (2 s at 20 labels in a release
    /// build); the split check answers like it, without backtracking.
    @Test func emailDomainIsLinear() throws {
        let full = try #require(BoundedRegex(GoRegex.translate(RecordValidator.goEmailPattern)))
        let attack = "a@" + String(repeating: "a.", count: 40) + "!"
        #expect(full.firstMatch(in: attack) == .timedOut)
        #expect(!RecordValidator.isEmail(attack))
        #expect(!RecordValidator.isEmail("a@" + String(repeating: "a.", count: 100_000) + "!"))
        #expect(RecordValidator.isEmail("a@" + String(repeating: "a.", count: 100_000) + "io"))
        let longLocal = RecordValidator.isEmail(String(repeating: "x.", count: 100_000) + "x@example.com")
        #expect(longLocal)
        // The quoted local part still goes through the pattern: inputs built to make it backtrack stay bounded.
        for quoted in ["\"" + String(repeating: "(\"", count: 200) + "!@a.b", "\"" + String(repeating: " \r\n ", count: 200) + "a@a.b",
                       String(repeating: "\"a", count: 300) + "@a.b", String(repeating: " ", count: 300) + "@a.b"] {
            let outcome = RecordValidator.emailLocal?.firstMatch(in: String(quoted.unicodeScalars.prefix { $0 != "@" }))
            #expect(outcome != nil && outcome != .timedOut, "\(quoted.count)")
        }
    }

    @Test func emailExamples() {
        for valid in ["a@b.co", "a+b@c.d", "a@b.co.", "a@b-c.d", "a@1.d", "a@b.c_d", "é@ü.ß", "a.b@c~d.e", "\"a\"@b.co", "\"@\"@c.de", "\"a\"b\"@c.de", " \"@c.de"] {
            #expect(RecordValidator.isEmail(valid), "\(valid)")
            #expect(Self.fullEmail?.firstMatch(in: valid) == .match, "\(valid)")
        }
        for invalid in ["", "@", "a@", "@b.co", "a@b", "a@b.co..", "a@.b", "a@b.1", "a@b.c-", "a@-b.c", "a@b..", "a..b@c.d", ".a@c.d", "a.@c.d", "a@b@c.d", "a@b.co ",
            "\"ab\"@c.de", "\"a@b\"@c.de"] {
            #expect(!RecordValidator.isEmail(invalid), "\(invalid)")
        }
    }

    /// The split check against the whole pattern on generated addresses built from the characters each part of the
    /// pattern treats specially.
    @Test func emailAgreesWithTheWholePattern() throws {
        let full = try #require(Self.fullEmail)
        let pieces = [
            "a", "Z", "0", "9", ".", ".", "-", "_", "~", "@", "@", "\"", "\\", " ", "\t", "\r\n", "!", "#", "é", "\u{FFFD}",
            "\u{FDCF}", "\u{FDF0}", "\u{FFF0}", "\u{F900}", "\u{A0}", "😀", "(", "x.y", "ab", "\u{1}", "\u{7F}",
        ]
        var rng = SeededRandom(seed: 7)
        func text(_ range: ClosedRange<Int>, _ from: [String]) -> String {
            (0..<Int.random(in: range, using: &rng)).map { _ in from.randomElement(using: &rng) ?? "" }.joined()
        }
        let local = ["a", "Z", "0", ".", "!", "#", "~", "é", "\"", "\"", "(", " ", "\r\n", "@"]
        let domain = ["a", "b", "0", ".", ".", "-", "_", "~", "é", "\u{F900}", "\u{FDF0}"]
        var agreed = 0, valid = 0
        for i in 0..<20_000 {
            // Half free-form, half shaped like an address so that both answers come up often.
            let shaped = text(1...4, local) + "@" + text(1...3, domain) + "." + text(1...3, domain) + text(0...1, ["."])
            let s = i.isMultiple(of: 2) ? text(1...12, pieces) : shaped
            let expected = full.firstMatch(in: s)
            guard expected != .timedOut else { continue }
            let got = RecordValidator.isEmail(s)
            #expect(got == (expected == .match), "\(s.debugDescription)")
            agreed += 1
            if got { valid += 1 }
        }
        // The generator must reach both answers often for the comparison to mean something.
        #expect(agreed > 19_000)
        #expect(valid > 300)
    }

    /// The URL pattern (already rewritten where it nested quantifiers) stays inside the step limit on inputs built
    /// to make it backtrack that pass `isURL`'s gates (under 2083 characters, hosts up to 255).
    @Test func urlPatternStaysBounded() throws {
        let url = try #require(GoValidator.urlPattern)
        let attacks = [
            "http://" + String(repeating: "a-", count: 120) + "!", "http://" + String(repeating: "a.", count: 120) + "!",
            String(repeating: "a", count: 250) + "!", String(repeating: "a", count: 250) + ":1/" + String(repeating: "a", count: 1800) + " ", "http://a" + String(repeating: "-a", count: 120) + ":99999999",
            "http://" + String(repeating: "1.", count: 120) + "!", "http://x@" + String(repeating: "a:", count: 900) + "!",
            "http://a/" + String(repeating: "/", count: 2000) + " ",
        ]
        for (i, attack) in attacks.enumerated() { #expect(url.firstMatch(in: attack) != .timedOut, "attack \(i)") }
        #expect(GoValidator.isURL("https://open.spotify.com/track/1"))
    }
}
