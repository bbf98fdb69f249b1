import Foundation

/// A filter syntax error with its position (for logs; clients get PocketBase's generic 400).
public struct FilterSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    public var description: String { "filter syntax error at \(offset): \(reason)" }
}

/// fexpr v0.4.1: scanner and parser. Whitespace is only space, tab and `\n`; `\r` is an unexpected character.
public enum FilterParser {
    public static let maxLength = 3500

    public static func parse(_ text: String) throws -> [FilterGroup] {
        try parse(Array(text.unicodeScalars), base: 0)
    }

    enum Token: Equatable {
        case ws, comment, join(FilterJoin), sign(FilterOp), operand(FilterOperand), group([Unicode.Scalar], Int), eof

        /// fexpr's `%q (%s)` of a token in parser errors: its literal and type.
        var got: String {
            let (literal, type): (String, String) = switch self {
            case .ws: (" ", "whitespace")
            case .comment: ("", "comment")
            case .join(let j): (j.rawValue, "join")
            case .sign(let s): (s.rawValue, "sign")
            case .operand(let o): (o.literal, o.kind == .identifier ? "identifier" : o.kind == .text ? "text" : "number")
            case .group(let inner, _): (String(String.UnicodeScalarView(inner)), "group")
            case .eof: ("", "eof")
            }
            return "\(goQuote(literal)) (\(type))"
        }
    }

    static func parse(_ chars: [Unicode.Scalar], base: Int) throws -> [FilterGroup] {
        var scanner = Scanner(chars: chars, base: base)
        var result: [FilterGroup] = []
        enum Step { case beforeSign, sign, afterSign, join }
        var step = Step.beforeSign
        var join = FilterJoin.and
        var left: FilterOperand?
        var op: FilterOp?
        while true {
            let start = scanner.offset
            let t = try scanner.scan()
            switch t {
            case .eof:
                guard step == .join else {
                    if result.isEmpty && left == nil { throw FilterSyntaxError(offset: start, reason: "empty filter expression") }
                    throw FilterSyntaxError(offset: start, reason: "invalid or incomplete filter expression")
                }
                return result
            case .ws, .comment: continue
            case .group(let inner, let innerBase):
                let groupResult = try parse(inner, base: innerBase)
                if !groupResult.isEmpty { result.append(FilterGroup(join: join, item: .group(groupResult))) }
                step = .join
                continue
            default: break
            }
            switch step {
            case .beforeSign:
                guard case .operand(let o) = t else { throw FilterSyntaxError(offset: start, reason: "expected left operand (identifier, text or number), got \(t.got)") }
                left = o
                op = nil
                step = .sign
            case .sign:
                guard case .sign(let s) = t else { throw FilterSyntaxError(offset: start, reason: "expected a sign operator, got \(t.got)") }
                op = s
                step = .afterSign
            case .afterSign:
                guard case .operand(let o) = t, let l = left, let s = op else {
                    throw FilterSyntaxError(offset: start, reason: "expected right operand (identifier, text or number), got \(t.got)")
                }
                result.append(FilterGroup(join: join, item: .comparison(FilterComparison(left: l, op: s, right: o))))
                step = .join
            case .join:
                guard case .join(let j) = t else { throw FilterSyntaxError(offset: start, reason: "expected && or ||, got \(t.got)") }
                join = j
                step = .beforeSign
            }
        }
    }

    struct Scanner {
        let chars: [Unicode.Scalar]
        let base: Int
        var i = 0

        var offset: Int { base + i }

        /// fexpr's `read()` returns rune 0 at the end of input, so a NUL in the text *is* the end for whoever reads
        /// it: at a token's start it ends the expression (the rest is ignored), inside a quoted text or a group it
        /// leaves them unterminated.
        func peek() -> Unicode.Scalar? { i < chars.count && chars[i] != "\0" ? chars[i] : nil }

        /// A token's loop that meets that NUL has already read (consumed) it: scanning goes on after it.
        mutating func consumeNUL() { if i < chars.count, chars[i] == "\0" { i += 1 } }

        static func isWS(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" }
        static func isLetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
        static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        static func isIdentStart(_ c: Unicode.Scalar) -> Bool { isLetter(c) || c == "_" || c == "@" || c == "#" }
        static func isSign(_ c: Unicode.Scalar) -> Bool { "=?!><~".unicodeScalars.contains(c) }
        static func isWordChar(_ c: Unicode.Scalar) -> Bool { isLetter(c) || isDigit(c) || c == "_" }

        func fail(_ reason: String, at: Int? = nil) -> FilterSyntaxError { FilterSyntaxError(offset: at ?? offset, reason: reason) }

        mutating func scan() throws -> Token {
            guard let c = peek() else { return .eof }
            let start = i
            if Self.isWS(c) {
                while let d = peek(), Self.isWS(d) { i += 1 }
                consumeNUL()
                return .ws
            }
            if c == "(" { return try scanGroup() }
            if Self.isIdentStart(c) {
                while let d = peek(), Self.isIdentStart(d) || Self.isDigit(d) || d == "." || d == ":" { i += 1 }
                let lit = String(String.UnicodeScalarView(chars[start..<i]))
                consumeNUL()
                guard Self.isIdentifier(lit) else { throw fail("Invalid identifier \(goQuote(lit))", at: base + start) }
                return .operand(FilterOperand(kind: .identifier, literal: lit))
            }
            if c == "-" || Self.isDigit(c) {
                i += 1
                while let d = peek(), Self.isDigit(d) || d == "." { i += 1 }
                let lit = String(String.UnicodeScalarView(chars[start..<i]))
                consumeNUL()
                guard !lit.hasSuffix("."), Self.isGoFloat(lit) else { throw fail("invalid number \(goQuote(lit))", at: base + start) }
                return .operand(FilterOperand(kind: .number, literal: lit))
            }
            if c == "'" || c == "\"" {
                let (text, _) = try scanText(preserveQuotes: false)
                return .operand(FilterOperand(kind: .text, literal: text))
            }
            if Self.isSign(c) {
                while let d = peek(), Self.isSign(d) { i += 1 }
                let lit = String(String.UnicodeScalarView(chars[start..<i]))
                consumeNUL()
                guard let op = FilterOp(rawValue: lit) else { throw fail("invalid sign operator \(goQuote(lit))", at: base + start) }
                return .sign(op)
            }
            if c == "&" || c == "|" {
                while let d = peek(), d == "&" || d == "|" { i += 1 }
                let lit = String(String.UnicodeScalarView(chars[start..<i]))
                consumeNUL()
                guard let j = FilterJoin(rawValue: lit) else { throw fail("invalid join operator \(goQuote(lit))", at: base + start) }
                return .join(j)
            }
            if c == "/" {
                i += 1
                guard peek() == "/" else { throw fail("invalid comment", at: base + start) }
                while let d = peek(), d != "\n" { i += 1 }
                if peek() == "\n" { i += 1 }
                consumeNUL()
                return .comment
            }
            throw fail("unexpected character \(goQuoteRune(c))")
        }

        /// Reads quoted text; the only escape is a backslash before the same quote.
        mutating func scanText(preserveQuotes: Bool) throws -> (String, [Unicode.Scalar]) {
            let start = i
            let quote = chars[i]
            i += 1
            var raw: [Unicode.Scalar] = [quote]
            var prev: Unicode.Scalar? = nil
            var closed = false
            while let d = peek() {
                i += 1
                raw.append(d)
                if d == quote && prev != "\\" { closed = true; break }
                prev = d
            }
            guard closed else { throw fail("invalid quoted text \(goQuote(String(String.UnicodeScalarView(raw))))", at: base + start) }
            let inner = String(String.UnicodeScalarView(raw[1..<(raw.count - 1)]))
            let q = String(quote)
            return (inner.replacingOccurrences(of: "\\" + q, with: q), raw)
        }

        mutating func scanGroup() throws -> Token {
            let start = i
            i += 1
            var depth = 1
            var inner: [Unicode.Scalar] = []
            let innerBase = base + i
            while let d = peek() {
                if d == "(" {
                    depth += 1
                    inner.append(d)
                    i += 1
                } else if d == "'" || d == "\"" {
                    let (_, raw) = try scanText(preserveQuotes: true)
                    inner += raw
                } else if d == ")" {
                    i += 1
                    depth -= 1
                    if depth <= 0 { break }
                    inner.append(d)
                } else {
                    inner.append(d)
                    i += 1
                }
            }
            guard depth <= 0 else { throw fail("invalid formatted group - missing \(depth) closing bracket(s)", at: base + start) }
            return .group(inner, innerBase)
        }

        /// `^[@#_]?[\w.:]*\w+$`
        static func isIdentifier(_ s: String) -> Bool {
            var u = Array(s.unicodeScalars)
            guard !u.isEmpty else { return false }
            if "@#_".unicodeScalars.contains(u[0]) { u.removeFirst() }
            guard let last = u.last, isWordChar(last) else { return false }
            return u.allSatisfy { isWordChar($0) || $0 == "." || $0 == ":" }
        }

        /// strconv.ParseFloat on `-?[0-9.]+` text.
        static func isGoFloat(_ s: String) -> Bool {
            let body = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
            guard !body.isEmpty, body.filter({ $0 == "." }).count <= 1, body != "." else { return false }
            return Double(s) != nil || Double(s.replacingOccurrences(of: "-.", with: "-0.")) != nil
        }
    }
}
