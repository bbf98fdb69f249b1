import Foundation

/// Evaluates one migration file: its top level registers `migrate(up, down)`, then the chosen function runs with
/// the dialect's API bound to the session.
enum MigrationScript {
    typealias Value = JSSubset.Value

    static func run(_ source: String, _ direction: MigrationRunner.Direction, session: MigrationSession) throws {
        let statements = try JSSubset.parse(source)
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
        let evaluator = JSSubset.Evaluator(globals: globals, construct: construct)
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
