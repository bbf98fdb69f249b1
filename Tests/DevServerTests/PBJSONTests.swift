import DevServer
import Testing

@Suite struct PBJSONTests {
    @Test func encodesLikeGo() {
        let v = JSONValue.obj(["b": "<p>&", "a": 1.5, "c": [true, .null, 123456.0], "d": "line\nbreak\u{2028}\"q\"\\"])
        // Object keys keep insertion order; Go's HTML escaping and short escapes.
        #expect(v.encoded() == #"{"b":"\u003cp\u003e\u0026","a":1.5,"c":[true,null,123456],"d":"line\nbreak\u2028\"q\"\\"}"#)
        #expect(v.responseBody().hasSuffix("}\n"))
    }

    @Test(arguments: [
        (0.0, "0"), (1.0, "1"), (-14.0, "-14"), (1.5, "1.5"), (0.1, "0.1"), (1e-7, "1e-7"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (123456789012.5, "123456789012.5"), (0.000001, "0.000001"), (12345678901234567890.0, "12345678901234567000"),
    ])
    func numbersLikeGo(_ value: Double, _ expected: String) {
        #expect(JSONValue.formatNumber(value) == expected)
    }

    /// The byte-level string writer against the scalar-by-scalar one it replaced, on generated strings mixing
    /// every escaped character with ASCII, 2-, 3- and 4-byte scalars (U+2027…U+202A sit next to the escaped pair).
    @Test func stringEscapesMatchTheScalarOracle() {
        func oracle(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                case "<": out += "\\u003c"
                case ">": out += "\\u003e"
                case "&": out += "\\u0026"
                case "\u{2028}": out += "\\u2028"
                case "\u{2029}": out += "\\u2029"
                default:
                    if u.value < 0x20 {
                        out += "\\u00" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16)
                    } else {
                        out.unicodeScalars.append(u)
                    }
                }
            }
            return out + "\""
        }
        let pool: [Unicode.Scalar] = Array((0..<0x80).compactMap(Unicode.Scalar.init)) + ["é", "ß", "\u{2027}", "\u{2028}", "\u{2029}", "\u{202A}", "€", "😀", "\u{E280}"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var s = ""
            for _ in 0..<Int.random(in: 0..<24, using: &rng) { s.unicodeScalars.append(pool.randomElement(using: &rng) ?? "a") }
            #expect(JSONValue.string(s).encoded() == oracle(s), "\(Array(s.unicodeScalars))")
        }
    }

    @Test func controlCharactersAreEscaped() {
        #expect(JSONValue.string("\u{01}\u{1f}\u{08}\u{0c}").encoded() == #""\u0001\u001f\b\f""#)
    }

    @Test func parsesAndKeepsOrder() throws {
        let v = try JSONValue.parse(#" {"z":1,"a":{"y":[1,2,{"k":"v"}],"x":null},"u":"\u00e9\ud83d\ude00"} trailing"#)
        #expect(v.objectValue?.keys == ["z", "a", "u"])
        #expect(v["a"]?["y"]?.arrayValue?.count == 3)
        #expect(v["u"] == .string("é😀"))
        #expect(v.sortedKeysEncoded() == #"{"a":{"x":null,"y":[1,2,{"k":"v"}]},"u":"é😀","z":1}"#)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "1.", "\"abc", "{\"a\":1,}", "-"])
    func rejectsMalformed(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    /// Nesting is bounded, so hostile bodies can't exhaust a thread's stack.
    @Test func deepNestingIsAnErrorNotACrash() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(String(repeating: "[", count: 100_000)) }
        #expect((try? JSONValue.parse(String(repeating: "[", count: 500) + String(repeating: "]", count: 500))) != nil)
    }

    @Test func strictParsingRejectsTrailingData() {
        #expect(throws: JSONParseError.self) { try JSONValue.parseStrict("{} x") }
        #expect(throws: JSONParseError.self) { try JSONValue.parseStrict("01") }
        #expect((try? JSONValue.parseStrict(" [1] ")) == .array([1]))
    }
}

extension JSONValue {
    func sortedKeysEncoded() -> String {
        func sort(_ v: JSONValue) -> JSONValue {
            switch v {
            case .object(let o): .object(JSONObject(o.pairs.sorted { $0.key < $1.key }.map { ($0.key, sort($0.value)) }))
            case .array(let a): .array(a.map(sort))
            default: v
            }
        }
        return sort(self).encoded()
    }
}
