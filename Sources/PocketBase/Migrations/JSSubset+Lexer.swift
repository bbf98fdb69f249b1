import Foundation

/// The JavaScript subset PocketBase's migration generators write (both dialects): literals, object/array literals,
/// identifiers, member access, calls, `new`, arrow functions, `const`/`let`/`var`, assignment and `return`.
/// Anything else is refused with the construct and its line — these files are read, not run.
public enum JSSubset {
    /// A refusal or a failure while reading or evaluating a file: what, where.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var line: Int
        public var description: String { "line \(line): \(message)" }
        public init(_ message: String, line: Int) {
            self.message = message
            self.line = line
        }
    }

    enum TokenKind: Equatable, Sendable {
        case identifier(String)
        case string(String)
        case number(Double)
        case punct(String)
        case end
    }

    struct Token: Sendable {
        var kind: TokenKind
        var line: Int
    }

    /// Source files are bounded by the caller; the lexer is linear in their size.
    static func tokenize(_ source: String) throws -> [Token] {
        let s = Array(source.unicodeScalars)
        var i = 0
        var line = 1
        var out: [Token] = []
        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }
        while i < s.count {
            let c = s[i]
            if c == "\n" { line += 1; i += 1; continue }
            if c == " " || c == "\t" || c == "\r" || c == "\u{FEFF}" || c == "\u{A0}" { i += 1; continue }
            if c == "/" && peek(1) == "/" {
                while i < s.count && s[i] != "\n" { i += 1 }
                continue
            }
            if c == "/" && peek(1) == "*" {
                let start = line
                i += 2
                while i < s.count && !(s[i] == "*" && peek(1) == "/") {
                    if s[i] == "\n" { line += 1 }
                    i += 1
                }
                guard i < s.count else { throw Failure("unterminated comment", line: start) }
                i += 2
                continue
            }
            if c == "\"" || c == "'" || c == "`" {
                let start = line
                i += 1
                var text = String.UnicodeScalarView()
                var closed = false
                while i < s.count {
                    let d = s[i]
                    if d == c { closed = true; i += 1; break }
                    if d == "\n" {
                        guard c == "`" else { throw Failure("line break inside a string", line: line) }
                        line += 1
                    }
                    if c == "`" && d == "$" && peek(1) == "{" { throw Failure("template literal interpolation (${…}) is not supported", line: line) }
                    if d == "\\" {
                        guard let e = peek(1) else { break }
                        i += 2
                        switch e {
                        case "n": text.append("\n")
                        case "t": text.append("\t")
                        case "r": text.append("\r")
                        case "b": text.append("\u{08}")
                        case "f": text.append("\u{0C}")
                        case "v": text.append("\u{0B}")
                        case "0": text.append("\u{0}")
                        case "\n": line += 1  // line continuation
                        case "u":
                            var hex = ""
                            if peek() == "{" {
                                i += 1
                                while let h = peek(), h != "}", hex.count < 8 { hex.unicodeScalars.append(h); i += 1 }
                                i += 1
                            } else {
                                for _ in 0..<4 { if let h = peek() { hex.unicodeScalars.append(h); i += 1 } }
                            }
                            guard let v = UInt32(hex, radix: 16) else { throw Failure("invalid \\u escape", line: line) }
                            // A surrogate pair arrives as two escapes.
                            if (0xD800...0xDBFF).contains(v), peek() == "\\", peek(1) == "u" {
                                var low = ""
                                for k in 2..<6 { if let h = peek(k) { low.unicodeScalars.append(h) } }
                                if let lv = UInt32(low, radix: 16), (0xDC00...0xDFFF).contains(lv) {
                                    i += 6
                                    text.append(Unicode.Scalar(0x10000 + ((v - 0xD800) << 10) + (lv - 0xDC00)) ?? "\u{FFFD}")
                                    continue
                                }
                            }
                            text.append(Unicode.Scalar(v) ?? "\u{FFFD}")
                        case "x":
                            var hex = ""
                            for _ in 0..<2 { if let h = peek() { hex.unicodeScalars.append(h); i += 1 } }
                            guard let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) else { throw Failure("invalid \\x escape", line: line) }
                            text.append(u)
                        default: text.append(e)
                        }
                        continue
                    }
                    text.append(d)
                    i += 1
                }
                guard closed else { throw Failure("unterminated string", line: start) }
                out.append(Token(kind: .string(String(text)), line: start))
                continue
            }
            if c.properties.isXIDStart || c == "_" || c == "$" {
                var name = String.UnicodeScalarView()
                while let d = peek(), d.properties.isXIDContinue || d == "_" || d == "$" { name.append(d); i += 1 }
                out.append(Token(kind: .identifier(String(name)), line: line))
                continue
            }
            if ("0"..."9").contains(c) || (c == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
                var text = ""
                if c == "0", let x = peek(1), x == "x" || x == "X" {
                    i += 2
                    while let d = peek(), d.properties.isASCIIHexDigit { text.unicodeScalars.append(d); i += 1 }
                    guard let v = UInt64(text, radix: 16) else { throw Failure("invalid number", line: line) }
                    out.append(Token(kind: .number(Double(v)), line: line))
                    continue
                }
                while let d = peek(), ("0"..."9").contains(d) || d == "." || d == "_" || d == "e" || d == "E"
                    || ((d == "+" || d == "-") && (text.last == "e" || text.last == "E"))
                {
                    if d != "_" { text.unicodeScalars.append(d) }
                    i += 1
                }
                guard let v = Double(text) else { throw Failure("invalid number \(text)", line: line) }
                out.append(Token(kind: .number(v), line: line))
                continue
            }
            let three = String(String.UnicodeScalarView(s[i..<min(i + 3, s.count)]))
            let two = String(three.unicodeScalars.prefix(2))
            if ["===", "!==", "..."].contains(three) { out.append(Token(kind: .punct(three), line: line)); i += 3; continue }
            if ["=>", "==", "!=", "&&", "||", "??", "?."].contains(two) { out.append(Token(kind: .punct(two), line: line)); i += 2; continue }
            if "{}[](),;:.=+-*!?<>".unicodeScalars.contains(c) { out.append(Token(kind: .punct(String(c)), line: line)); i += 1; continue }
            throw Failure("unexpected character \(String(c).debugDescription)", line: line)
        }
        out.append(Token(kind: .end, line: line))
        return out
    }
}
