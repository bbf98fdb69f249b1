import Testing

@testable import DevServer
@testable import PocketBase

@Suite struct FilterParserTests {
    func cmp(_ l: FilterOperand, _ op: FilterOp, _ r: FilterOperand, _ join: FilterJoin = .and) -> FilterGroup {
        FilterGroup(join: join, item: .comparison(FilterComparison(left: l, op: op, right: r)))
    }
    func id(_ s: String) -> FilterOperand { FilterOperand(kind: .identifier, literal: s) }
    func text(_ s: String) -> FilterOperand { FilterOperand(kind: .text, literal: s) }
    func num(_ s: String) -> FilterOperand { FilterOperand(kind: .number, literal: s) }

    @Test func comparisonsAndJoins() throws {
        #expect(try FilterParser.parse("id_url = 'abc'") == [cmp(id("id_url"), .eq, text("abc"))])
        #expect(
            try FilterParser.parse("a>1&&b?~\"x\"||-2.5<=c") == [
                cmp(id("a"), .gt, num("1")), cmp(id("b"), .anyLike, text("x")), cmp(num("-2.5"), .lte, id("c"), .or),
            ])
    }

    /// fexpr reads rune 0 as the end of input (outcomes checked on the reference binary): a NUL ends the expression
    /// at a token boundary (the rest is ignored), is swallowed by the token it ends, and leaves a quoted text open.
    @Test func nulIsTheEndOfInput() throws {
        #expect(try FilterParser.parse("title='a'\0 garbage ((") == [cmp(id("title"), .eq, text("a"))])
        #expect(try FilterParser.parse("title\0='abc'") == [cmp(id("title"), .eq, text("abc"))])
        #expect(throws: FilterSyntaxError.self) { try FilterParser.parse("title='a\0b'") }
        #expect(throws: FilterSyntaxError.self) { try FilterParser.parse("(title='a'\0)") }
        #expect(throws: FilterSyntaxError.self) { try FilterParser.parse("\0title='a'") }
    }

    @Test(arguments: FilterOp.allCases)
    func everyOperator(_ op: FilterOp) throws {
        #expect(try FilterParser.parse("a \(op.rawValue) 1") == [cmp(id("a"), op, num("1"))])
    }

    @Test func groupsNestAndKeepQuotedParens() throws {
        let r = try FilterParser.parse("(a = ')(' || (b = 1)) && c = 2")
        #expect(r.count == 2)
        guard case .group(let inner) = r[0].item else { Issue.record("expected group"); return }
        #expect(inner[0] == cmp(id("a"), .eq, text(")(")))
        guard case .group(let deeper) = inner[1].item else { Issue.record("expected nested group"); return }
        #expect(deeper == [cmp(id("b"), .eq, num("1"))])
        #expect(inner[1].join == .or)
    }

    /// fexpr quirk: a group is accepted in any position and always leaves the parser expecting a join,
    /// so two adjacent groups parse (joined with AND).
    @Test func adjacentGroupsParse() throws {
        #expect(try FilterParser.parse("(a = 1) (b = 2)").count == 2)
    }

    @Test func textEscapesOnlyTheSameQuote() throws {
        #expect(try FilterParser.parse(#"a = 'it\'s'"#) == [cmp(id("a"), .eq, text("it's"))])
        #expect(try FilterParser.parse(#"a = "say \"hi\"""#) == [cmp(id("a"), .eq, text("say \"hi\""))])
        #expect(try FilterParser.parse(#"a = 'back\slash'"#) == [cmp(id("a"), .eq, text(#"back\slash"#))])
        #expect(try FilterParser.parse(#"a = "it's""#) == [cmp(id("a"), .eq, text("it's"))])
    }

    @Test func commentsAndWhitespace() throws {
        #expect(try FilterParser.parse("a = 1 // trailing\n&& b = 2\t") == [cmp(id("a"), .eq, num("1")), cmp(id("b"), .eq, num("2"))])
        #expect(try FilterParser.parse("@request.auth.id != '' && field:each ?= #x") == [
            cmp(id("@request.auth.id"), .neq, text("")), cmp(id("field:each"), .anyEq, id("#x")),
        ])
    }

    /// fexpr's messages byte for byte (each also compared with PocketBase 0.23.12's `validation_invalid_rule` text by
    /// the rule differential run): they are what a rule error shows.
    @Test(arguments: [
        ("", 0, "empty filter expression"), ("a =", 3, "invalid or incomplete filter expression"), ("a = 1\r", 5, "unexpected character '\\r'"),
        ("a == 1", 2, #"invalid sign operator "==""#), ("a = 'x", 4, #"invalid quoted text "'x""#),
        ("(a = 1", 0, "invalid formatted group - missing 1 closing bracket(s)"),
        ("a = 1 & b = 2", 6, #"invalid join operator "&""#), ("a = 1.", 4, #"invalid number "1.""#), ("1 = 1.2.3", 4, #"invalid number "1.2.3""#),
        ("a. = 1", 0, #"Invalid identifier "a.""#), ("a = 1 b", 6, #"expected && or ||, got "b" (identifier)"#),
        ("= 1", 0, #"expected left operand (identifier, text or number), got "=" (sign)"#),
        ("a 1", 2, #"expected a sign operator, got "1" (number)"#), ("a = &&", 4, #"expected right operand (identifier, text or number), got "&&" (join)"#),
        ("a = 1 / x", 6, "invalid comment"), ("tïtle = 1", 1, "unexpected character 'ï'"),
    ])
    func errorsCarryPositionAndReason(_ text: String, _ offset: Int, _ reason: String) {
        do {
            _ = try FilterParser.parse(text)
            Issue.record("expected an error for \(text)")
        } catch let e as FilterSyntaxError {
            #expect(e.offset == offset, "\(text): \(e)")
            #expect(e.reason == reason, "\(text): \(e)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Printed ASTs re-parse to the same AST (deterministic pseudo-random trees).
    @Test func printedTreesRoundTrip() throws {
        var rng = SplitMix(seed: 0x5eed)
        for _ in 0..<3000 {
            let tree = randomGroups(&rng, depth: 0)
            let text = tree.filterSource()
            let reparsed = try FilterParser.parse(text)
            #expect(reparsed == tree, "round trip failed for: \(text)")
            if reparsed != tree { return }
        }
    }

    func randomGroups(_ rng: inout SplitMix, depth: Int) -> [FilterGroup] {
        (0..<Int(rng.next() % 3 + 1)).map { i in
            let join: FilterJoin = i == 0 ? .and : (rng.next() % 2 == 0 ? .and : .or)
            if depth < 3 && rng.next() % 4 == 0 { return FilterGroup(join: join, item: .group(randomGroups(&rng, depth: depth + 1))) }
            let op = FilterOp.allCases[Int(rng.next() % UInt64(FilterOp.allCases.count))]
            return FilterGroup(join: join, item: .comparison(FilterComparison(left: randomOperand(&rng), op: op, right: randomOperand(&rng))))
        }
    }

    func randomOperand(_ rng: inout SplitMix) -> FilterOperand {
        let idents = ["a", "id_url", "user.id", "@request.auth.id", "@collection.users:u.name", "_x1", "#p", "tags:each", "data.k.0.v", "true", "null"]
        let numbers = ["0", "1", "-2.5", "10", "3.14159", "-7"]
        let alphabet = Array("abc XYZ'\"\\()&|=!~<>?%_é😀\t\n/")
        switch rng.next() % 3 {
        case 0: return id(idents[Int(rng.next() % UInt64(idents.count))])
        case 1: return num(numbers[Int(rng.next() % UInt64(numbers.count))])
        default:
            var s = String((0..<Int(rng.next() % 8)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            while s.hasSuffix("\\") { s.removeLast() }  // fexpr cannot represent a trailing backslash
            return text(s)
        }
    }
}

/// Small deterministic PRNG for property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
