import Foundation

extension JSSubset {
    /// Evaluates parsed statements. Globals (`migrate`, `unmarshal`, …) and constructors (`new Collection(…)`) come
    /// from the dialect; everything else is plain data. A step budget bounds any file.
    final class Evaluator {
        let globals: [String: Value]
        let construct: (String, [Value], Int) throws -> Value
        var steps = 0
        static let maxSteps = 2_000_000
        /// Arrow functions can call themselves (`const f = () => f()`): nesting is bounded, not the stack's problem.
        var callDepth = 0
        static let maxCallDepth = 64

        init(globals: [String: Value], construct: @escaping (String, [Value], Int) throws -> Value) {
            self.globals = globals
            self.construct = construct
        }

        struct Return: Error { let value: Value }

        /// Runs a block; the value of a `return`, else undefined.
        func run(_ statements: [Stmt], scope: Scope) throws -> Value {
            for s in statements {
                switch s {
                case .declare(let name, let e, let line):
                    if scope.vars[name] != nil { throw Failure("`\(name)` is declared twice", line: line) }
                    scope.vars[name] = try e.map { try eval($0, scope) } ?? .undefined
                case .expression(let e, _):
                    _ = try eval(e, scope)
                case .return(let e, _):
                    return try e.map { try eval($0, scope) } ?? .undefined
                }
            }
            return .undefined
        }

        func call(_ f: Value, _ args: [Value], line: Int) throws -> Value {
            switch f {
            case .function(let fn):
                callDepth += 1
                defer { callDepth -= 1 }
                guard callDepth <= Self.maxCallDepth else { throw Failure("functions nested too deeply (recursion?)", line: line) }
                let scope = Scope(parent: fn.scope)
                for (i, p) in fn.params.enumerated() { scope.vars[p] = i < args.count ? args[i] : .undefined }
                return try run(fn.body, scope: scope)
            case .native(let n):
                return try n.body(args, line)
            default:
                throw Failure("\(f.typeName) is not a function", line: line)
            }
        }

        func eval(_ e: Expr, _ scope: Scope) throws -> Value {
            steps += 1
            guard steps < Self.maxSteps else { throw Failure("the file does too much work", line: 0) }
            switch e {
            case .null: return .null
            case .undefined: return .undefined
            case .bool(let b): return .bool(b)
            case .number(let n): return .number(n)
            case .string(let s): return .string(s)
            case .identifier(let name, let line):
                if let v = scope.lookup(name) ?? globals[name] { return v }
                throw Failure("ReferenceError: \(name) is not defined", line: line)
            case .object(let pairs, _):
                let box = ObjectBox()
                for (k, v) in pairs { box[k] = try eval(v, scope) }
                return .object(box)
            case .array(let items, _):
                return .array(ArrayBox(try items.map { try eval($0, scope) }))
            case .member(let base, let name, let line):
                return try member(try eval(base, scope), name, line: line)
            case .index(let base, let key, let line):
                let b = try eval(base, scope)
                switch (b, try eval(key, scope)) {
                case (.array(let a), .number(let n)):
                    guard let i = Int(exactly: n), a.items.indices.contains(i) else { return .undefined }
                    return a.items[i]
                case (_, .string(let s)): return try member(b, s, line: line)
                case (_, .number(let n)): return try member(b, JSONValue.formatNumber(n), line: line)
                default: throw Failure("unsupported index on \(b.typeName)", line: line)
                }
            case .call(.member(let base, let name, _), let args, let line):
                // A method call: hosts dispatch by name, plain objects call their function property.
                let receiver = try eval(base, scope)
                let values = try args.map { try eval($0, scope) }
                if case .host(let h) = receiver { return try h.call(name, values, line: line) }
                if case .array(let a) = receiver { return try arrayMethod(a, name, values, line: line) }
                return try call(try member(receiver, name, line: line), values, line: line)
            case .call(let callee, let args, let line):
                let f = try eval(callee, scope)
                return try call(f, try args.map { try eval($0, scope) }, line: line)
            case .new(let type, let args, let line):
                return try construct(type, try args.map { try eval($0, scope) }, line)
            case .arrow(let params, let body, _):
                return .function(Function(params: params, body: body, scope: scope))
            case .assign(let target, let valueExpr, let line):
                let value = try eval(valueExpr, scope)
                switch target {
                case .identifier(let name, _):
                    guard scope.assign(name, value) else { throw Failure("assignment to undeclared `\(name)`", line: line) }
                case .member(let base, let name, _):
                    try setMember(try eval(base, scope), name, value, line: line)
                case .index(let base, let key, _):
                    let b = try eval(base, scope)
                    switch (b, try eval(key, scope)) {
                    case (.array(let a), .number(let n)):
                        guard let i = Int(exactly: n), i >= 0, i <= a.items.count else { throw Failure("array index out of range", line: line) }
                        if i == a.items.count { a.items.append(value) } else { a.items[i] = value }
                    case (_, .string(let s)): try setMember(b, s, value, line: line)
                    default: throw Failure("unsupported index assignment on \(b.typeName)", line: line)
                    }
                default: throw Failure("invalid assignment target", line: line)
                }
                return value
            case .not(let inner, _):
                return .bool(!(try eval(inner, scope)).truthy)
            }
        }

        func member(_ base: Value, _ name: String, line: Int) throws -> Value {
            switch base {
            case .object(let o): return o[name] ?? .undefined
            case .array(let a): return name == "length" ? .number(Double(a.items.count)) : .undefined
            case .string(let s): return name == "length" ? .number(Double(s.utf16.count)) : .undefined
            case .host(let h): return try h.get(name, line: line)
            case .undefined, .null: throw Failure("TypeError: cannot read property `\(name)` of \(base.typeName)", line: line)
            default: return .undefined
            }
        }

        func setMember(_ base: Value, _ name: String, _ value: Value, line: Int) throws {
            switch base {
            case .object(let o): o[name] = value
            case .host(let h): try h.set(name, value, line: line)
            default: throw Failure("TypeError: cannot set property `\(name)` of \(base.typeName)", line: line)
            }
        }

        func arrayMethod(_ a: ArrayBox, _ name: String, _ args: [Value], line: Int) throws -> Value {
            switch name {
            case "push":
                a.items += args
                return .number(Double(a.items.count))
            case "map":
                // 0.22's snapshot template: `snapshot.map((item) => new Collection(item))`.
                guard let f = args.first else { throw Failure("array.map() needs a function", line: line) }
                return .array(ArrayBox(try a.items.enumerated().map { i, v in try call(f, [v, .number(Double(i))], line: line) }))
            default: throw Failure("array.\(name)() is not supported", line: line)
            }
        }
    }
}
