import Foundation

/// Evaluates one migration file: its top level registers `migrate(up, down)`, then the chosen function runs with
/// the dialect's API bound to the session.
enum MigrationScript {
    typealias Value = JSSubset.Value

    /// Whether a file uses 0.22's `new Dao(db)` API.
    static func isLegacy(_ statements: [JSSubset.Stmt]) -> Bool {
        func walk(_ e: JSSubset.Expr) -> Bool {
            switch e {
            case .new(let type, let args, _): return type == "Dao" || args.contains(where: walk)
            case .object(let pairs, _): return pairs.contains { walk($0.value) }
            case .array(let items, _): return items.contains(where: walk)
            case .member(let b, _, _): return walk(b)
            case .index(let b, let k, _): return walk(b) || walk(k)
            case .call(.identifier("Dao", _), _, _): return true  // 0.22's templates call `Dao(db)` without `new`
            case .call(let c, let args, _): return walk(c) || args.contains(where: walk)
            case .arrow(_, let body, _): return body.contains(where: stmt)
            case .assign(let t, let v, _): return walk(t) || walk(v)
            case .not(let x, _): return walk(x)
            default: return false
            }
        }
        func stmt(_ s: JSSubset.Stmt) -> Bool {
            switch s {
            case .declare(_, let e, _), .return(let e, _): return e.map(walk) ?? false
            case .expression(let e, _): return walk(e)
            }
        }
        return statements.contains(where: stmt)
    }

    /// Runs one file. `legacy` is the v0.22 schema a `new Dao(db)` works on (nil: the 0.22 API is refused).
    static func run(
        _ statements: [JSSubset.Stmt], _ direction: MigrationRunner.Direction, session: MigrationSession, legacy: LegacyHosts.LegacySchema? = nil
    ) throws {
        var up: Value?
        var down: Value?
        var globals: [String: Value] = [:]
        globals["migrate"] = .native(
            JSSubset.Native("migrate") { args, line in
                guard let first = args.first else { throw JSSubset.Failure("migrate() needs an up function", line: line) }
                up = first
                down = args.count > 1 ? args[1] : nil
                return .undefined
            })
        globals["unmarshal"] = .native(
            JSSubset.Native("unmarshal") { args, line in
                guard args.count == 2, let data = args[0].json?.objectValue else { throw JSSubset.Failure("unmarshal(data, target) needs an object", line: line) }
                guard case .host(let h) = args[1] else { throw JSSubset.Failure("unmarshal into \(args[1].typeName) is not supported", line: line) }
                switch h {
                case let c as MigrationHosts.Collection: try c.unmarshal(data, line: line)
                case let f as MigrationHosts.Field: for (k, v) in data.pairs { f.data[k] = MigrationHosts.Collection.merge(f.data[k], v) }
                default: throw JSSubset.Failure("unmarshal into \(h.typeName) is not supported", line: line)
                }
                return .undefined
            })
        if let legacy { globals["Dao"] = .native(JSSubset.Native("Dao") { _, _ in .host(LegacyHosts.Dao(legacy)) }) }
        let evaluator = JSSubset.Evaluator(globals: globals) { type, args, line in
            if let legacy {
                switch type {
                case "Dao": return .host(LegacyHosts.Dao(legacy))
                case "Collection": return .host(LegacyHosts.Collection(args.first?.json?.objectValue ?? JSONObject()))
                case "SchemaField": return .host(LegacyHosts.Field(args.first?.json?.objectValue ?? JSONObject()))
                default: break
                }
            }
            return try construct(type, args, line: line)
        }
        _ = try evaluator.run(statements, scope: JSSubset.Scope(parent: nil))
        guard let up else { throw JSSubset.Failure("the file does not call migrate()", line: 1) }
        guard let fn = direction == .up ? up : down else { return }  // no down function: nothing to revert
        if case .null = fn { return }
        _ = try evaluator.call(fn, [.host(MigrationHosts.App(session))], line: 0)
    }

    static func construct(_ type: String, _ args: [Value], line: Int) throws -> Value {
        let data = args.first?.json?.objectValue ?? JSONObject()
        switch type {
        case "Collection":
            return .host(MigrationHosts.Collection(data))
        case "Field":
            return .host(MigrationHosts.Field(data))
        case "Dao", "SchemaField":
            throw JSSubset.Failure("ReferenceError: \(type) is not defined (the v0.22 migration API is not supported yet)", line: line)
        default:
            if let fieldType = MigrationHosts.fieldConstructors[type] {
                var o = data
                o["type"] = .string(fieldType.rawValue)
                return .host(MigrationHosts.Field(o))
            }
            throw JSSubset.Failure("ReferenceError: \(type) is not defined", line: line)
        }
    }
}
