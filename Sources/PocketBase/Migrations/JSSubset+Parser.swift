import Foundation

extension JSSubset {
    indirect enum Expr: Sendable {
        case null, undefined
        case bool(Bool)
        case number(Double)
        case string(String)
        case identifier(String, line: Int)
        case object([(key: String, value: Expr)], line: Int)
        case array([Expr], line: Int)
        case member(Expr, String, line: Int)
        case index(Expr, Expr, line: Int)
        case call(Expr, [Expr], line: Int)
        case new(String, [Expr], line: Int)
        case arrow([String], [Stmt], line: Int)
        case assign(Expr, Expr, line: Int)
        case not(Expr, line: Int)
    }

    enum Stmt: Sendable {
        case declare(String, Expr?, line: Int)
        case expression(Expr, line: Int)
        case `return`(Expr?, line: Int)
    }

    /// Parses a whole file into statements. Nesting is bounded so hostile input cannot exhaust the stack.
    static func parse(_ source: String) throws -> [Stmt] {
        var p = Parser(tokens: try tokenize(source))
        var out: [Stmt] = []
        while !p.atEnd { if let s = try p.statement() { out.append(s) } }
        return out
    }

    struct Parser {
        var tokens: [Token]
        var pos = 0
        var depth = 0
        static let maxDepth = 200

        var current: Token { tokens[min(pos, tokens.count - 1)] }
        var atEnd: Bool { current.kind == .end }
        var line: Int { current.line }

        func isPunct(_ p: String) -> Bool { current.kind == .punct(p) }
        func isIdentifier(_ name: String) -> Bool { current.kind == .identifier(name) }

        mutating func advance() { if pos < tokens.count - 1 { pos += 1 } }

        mutating func expect(_ p: String) throws {
            guard isPunct(p) else { throw Failure("expected `\(p)`, found \(describe(current))", line: line) }
            advance()
        }

        func describe(_ t: Token) -> String {
            switch t.kind {
            case .identifier(let n): "`\(n)`"
            case .string: "a string"
            case .number: "a number"
            case .punct(let p): "`\(p)`"
            case .end: "the end of the file"
            }
        }

        static let unsupportedKeywords: Set<String> = [
            "if", "else", "for", "while", "do", "switch", "function", "try", "catch", "throw", "class", "async", "await",
            "import", "export", "delete", "typeof", "yield",
        ]

        mutating func statement() throws -> Stmt? {
            let l = line
            if isPunct(";") { advance(); return nil }
            if case .identifier(let kw) = current.kind {
                if Self.unsupportedKeywords.contains(kw) { throw Failure("`\(kw)` is not supported in migration files", line: l) }
                if kw == "const" || kw == "let" || kw == "var" {
                    advance()
                    guard case .identifier(let name) = current.kind else { throw Failure("expected a name after `\(kw)`", line: line) }
                    advance()
                    var value: Expr?
                    if isPunct("=") { advance(); value = try expression() }
                    if isPunct(",") { throw Failure("several declarations in one `\(kw)` are not supported", line: line) }
                    if isPunct(";") { advance() }
                    return .declare(name, value, line: l)
                }
                if kw == "return" {
                    advance()
                    if isPunct(";") || isPunct("}") || atEnd { if isPunct(";") { advance() }; return .return(nil, line: l) }
                    let value = try expression()
                    if isPunct(";") { advance() }
                    return .return(value, line: l)
                }
            }
            let e = try expression()
            if isPunct(";") { advance() }
            return .expression(e, line: l)
        }

        mutating func expression() throws -> Expr {
            depth += 1
            defer { depth -= 1 }
            guard depth < Self.maxDepth else { throw Failure("nested too deeply", line: line) }
            let l = line
            let target = try unary()
            if isPunct("=") {
                switch target {
                case .member, .index, .identifier: break
                default: throw Failure("invalid assignment target", line: l)
                }
                advance()
                return .assign(target, try expression(), line: l)
            }
            if case .punct(let op) = current.kind, ["+", "-", "*", "==", "===", "!=", "!==", "&&", "||", "??", "<", ">", "?"].contains(op) {
                throw Failure("the operator `\(op)` is not supported in migration files", line: line)
            }
            return target
        }

        mutating func unary() throws -> Expr {
            let l = line
            if isPunct("-") {
                advance()
                guard case .number(let n) = current.kind else { throw Failure("`-` is only supported before a number", line: l) }
                advance()
                return .number(-n)
            }
            if isPunct("!") {
                advance()
                return .not(try unary(), line: l)
            }
            return try postfix()
        }

        mutating func postfix() throws -> Expr {
            var e = try primary()
            while true {
                let l = line
                if isPunct(".") || isPunct("?.") {
                    advance()
                    guard case .identifier(let name) = current.kind else { throw Failure("expected a property name", line: line) }
                    advance()
                    e = .member(e, name, line: l)
                } else if isPunct("[") {
                    advance()
                    let key = try expression()
                    try expect("]")
                    e = .index(e, key, line: l)
                } else if isPunct("(") {
                    e = .call(e, try arguments(), line: l)
                } else {
                    return e
                }
            }
        }

        mutating func arguments() throws -> [Expr] {
            try expect("(")
            var args: [Expr] = []
            while !isPunct(")") {
                if isPunct("...") { throw Failure("spread arguments are not supported", line: line) }
                args.append(try expression())
                if isPunct(",") { advance() } else { break }
            }
            try expect(")")
            return args
        }

        /// `(a, b) =>` / `a =>` ahead?
        func arrowAhead() -> Bool {
            if case .identifier = current.kind, pos + 1 < tokens.count, tokens[pos + 1].kind == .punct("=>") { return true }
            guard isPunct("(") else { return false }
            var k = pos + 1
            while k < tokens.count {
                switch tokens[k].kind {
                case .punct(")"): return k + 1 < tokens.count && tokens[k + 1].kind == .punct("=>")
                case .identifier, .punct(","): k += 1
                default: return false
                }
            }
            return false
        }

        mutating func arrow() throws -> Expr {
            let l = line
            var params: [String] = []
            if case .identifier(let p) = current.kind {
                params = [p]
                advance()
            } else {
                try expect("(")
                while case .identifier(let p) = current.kind {
                    params.append(p)
                    advance()
                    if isPunct(",") { advance() }
                }
                try expect(")")
            }
            try expect("=>")
            if isPunct("{") {
                advance()
                var body: [Stmt] = []
                while !isPunct("}") {
                    guard !atEnd else { throw Failure("unterminated function body", line: l) }
                    if let s = try statement() { body.append(s) }
                }
                advance()
                return .arrow(params, body, line: l)
            }
            let value = try expression()
            return .arrow(params, [.return(value, line: l)], line: l)
        }

        mutating func primary() throws -> Expr {
            let l = line
            if arrowAhead() { return try arrow() }
            switch current.kind {
            case .number(let n): advance(); return .number(n)
            case .string(let s): advance(); return .string(s)
            case .identifier(let name):
                switch name {
                case "null": advance(); return .null
                case "undefined": advance(); return .undefined
                case "true": advance(); return .bool(true)
                case "false": advance(); return .bool(false)
                case "new":
                    advance()
                    guard case .identifier(let type) = current.kind else { throw Failure("expected a type after `new`", line: line) }
                    advance()
                    return .new(type, isPunct("(") ? try arguments() : [], line: l)
                default:
                    if Self.unsupportedKeywords.contains(name) { throw Failure("`\(name)` is not supported in migration files", line: l) }
                    advance()
                    return .identifier(name, line: l)
                }
            case .punct("("):
                advance()
                let e = try expression()
                try expect(")")
                return e
            case .punct("{"):
                advance()
                var pairs: [(key: String, value: Expr)] = []
                while !isPunct("}") {
                    let key: String
                    switch current.kind {
                    case .identifier(let k), .string(let k): key = k
                    case .number(let n): key = JSONValue.formatNumber(n)
                    case .punct("..."): throw Failure("object spread is not supported", line: line)
                    default: throw Failure("expected a property name, found \(describe(current))", line: line)
                    }
                    advance()
                    if isPunct(":") {
                        advance()
                        pairs.append((key, try expression()))
                    } else {
                        pairs.append((key, .identifier(key, line: l)))  // shorthand `{ name }`
                    }
                    if isPunct(",") { advance() } else { break }
                }
                try expect("}")
                return .object(pairs, line: l)
            case .punct("["):
                advance()
                var items: [Expr] = []
                while !isPunct("]") {
                    items.append(try expression())
                    if isPunct(",") { advance() } else { break }
                }
                try expect("]")
                return .array(items, line: l)
            default:
                throw Failure("unexpected \(describe(current))", line: l)
            }
        }
    }
}
