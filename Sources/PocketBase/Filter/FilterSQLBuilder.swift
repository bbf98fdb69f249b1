import Foundation

/// A table joined into the query (or into a multi-match subquery).
struct SQLJoin: Sendable {
    var table: String  // already quoted or an expression like json_each(...)
    var alias: String
    var on: SQLFragment?
}

/// "All items must match" subquery for multi-valued paths (PocketBase's multiMatchSubquery).
struct MultiMatchSubquery: Sendable {
    var baseTableAlias: String
    var fromTableName: String
    var fromTableAlias: String
    var valueIdentifier = ""
    var joins: [SQLJoin] = []
    var params: [String: SQLValue] = [:]

    func build() -> SQLFragment {
        var params = self.params
        var joinSQL: [String] = []
        for j in joins {
            var s = "LEFT JOIN \(j.table) \(SQLQuote.ident(j.alias))"
            if let on = j.on {
                s += " ON " + on.sql
                params.merge(on.params) { a, _ in a }
            }
            joinSQL.append(s)
        }
        return SQLFragment(
            "SELECT \(valueIdentifier) as `multiMatchValue` FROM \(SQLQuote.ident(fromTableName)) \(SQLQuote.ident(fromTableAlias)) \(joinSQL.joined(separator: " ")) WHERE \(SQLQuote.column(fromTableAlias, "id")) = \(SQLQuote.column(baseTableAlias, "id"))",
            params)
    }
}

/// One resolved operand of a comparison.
struct ResolvedOperand {
    var identifier: String
    var params: [String: SQLValue] = [:]
    var noCoalesce = false
    var multiMatch: MultiMatchSubquery?
    var afterBuild: ((SQLFragment) -> SQLFragment)?

    var isEmptyIdentifier: Bool { ["", "null", "''", "\"\"", "``"].contains(identifier.lowercased()) }
    var hasEmptyParam: Bool { params.count == 1 && params.values.first!.isEmpty }
    var isKnownNonEmpty: Bool {
        if ["1", "0", "false", "true"].contains(identifier.lowercased()) { return true }
        return !params.isEmpty && !hasEmptyParam && !isEmptyIdentifier
    }
}

/// Resolves identifiers (fields, `@request.*`, `@collection.*`) for the builder.
protocol FilterFieldResolver: AnyObject {
    func resolve(_ name: String) throws -> ResolvedOperand
    var namer: ParamNamer { get }
}

struct FilterResolveError: Error, CustomStringConvertible {
    var description: String
}

/// Turns a parsed filter into parameterised SQL with PocketBase's operator semantics.
enum FilterSQLBuilder {
    static let defaultMaxExpressions = 200

    static func build(_ groups: [FilterGroup], resolver: some FilterFieldResolver, maxExpressions: Int = defaultMaxExpressions) throws
        -> SQLFragment
    {
        var remaining = maxExpressions
        return try build(groups, resolver: resolver, remaining: &remaining)
    }

    static func build(_ groups: [FilterGroup], resolver: some FilterFieldResolver, remaining: inout Int) throws -> SQLFragment {
        guard !groups.isEmpty else { throw FilterResolveError(description: "empty filter expression") }
        var parts: [String] = []
        var params: [String: SQLValue] = [:]
        for g in groups {
            let expr: SQLFragment
            switch g.item {
            case .comparison(let c):
                guard remaining > 0 else { throw FilterResolveError(description: "max filter expressions limit reached") }
                remaining -= 1
                expr = try comparison(c, resolver: resolver)
            case .group(let inner):
                expr = try build(inner, resolver: resolver, remaining: &remaining)
            }
            if !parts.isEmpty { parts.append(g.join == .or ? "OR" : "AND") }
            parts.append(expr.sql)
            params.merge(expr.params) { a, _ in a }
        }
        if parts.count == 1 && !parts[0].uppercased().contains(" AND ") && !parts[0].uppercased().contains(" OR ") {
            return SQLFragment(parts[0], params)
        }
        return SQLFragment("(" + parts.joined(separator: " ") + ")", params)
    }

    static func comparison(_ c: FilterComparison, resolver: some FilterFieldResolver) throws -> SQLFragment {
        // PocketBase's wording: `invalid left operand "x" - <cause>` (`<nil>` when it resolved to nothing).
        func resolved(_ o: FilterOperand, _ side: String) throws -> ResolvedOperand {
            let r: ResolvedOperand
            do { r = try operand(o, resolver: resolver) } catch {
                throw FilterResolveError(description: "invalid \(side) operand \(goQuote(o.literal)) - \(error)")
            }
            guard !r.identifier.isEmpty else { throw FilterResolveError(description: "invalid \(side) operand \(goQuote(o.literal)) - <nil>") }
            return r
        }
        let left = try resolved(c.left, "left")
        let right = try resolved(c.right, "right")
        return buildResolvers(left, c.op, right, namer: resolver.namer)
    }

    static func operand(_ o: FilterOperand, resolver: some FilterFieldResolver) throws -> ResolvedOperand {
        switch o.kind {
        case .identifier:
            if let macro = FilterMacros.value(o.literal) {
                let name = resolver.namer.next("t")
                return ResolvedOperand(identifier: ":" + name, params: [name: macro])
            }
            do {
                let r = try resolver.resolve(o.literal)
                if !r.identifier.isEmpty { return r }
            } catch {
                if let v = ["null": "NULL", "true": "1", "false": "0"][o.literal.lowercased()] { return ResolvedOperand(identifier: v) }
                throw error
            }
            if let v = ["null": "NULL", "true": "1", "false": "0"][o.literal.lowercased()] { return ResolvedOperand(identifier: v) }
            return ResolvedOperand(identifier: "")  // the caller reports it (PocketBase: "- <nil>")
        case .text:
            let name = resolver.namer.next("t")
            return ResolvedOperand(identifier: ":" + name, params: [name: .text(o.literal)])
        case .number:
            let name = resolver.namer.next("t")
            return ResolvedOperand(identifier: ":" + name, params: [name: .real(Double(o.literal) ?? 0)])
        }
    }

    static func merged(_ a: [String: SQLValue], _ b: [String: SQLValue]) -> [String: SQLValue] { a.merging(b) { x, _ in x } }

    static func buildResolvers(_ left: ResolvedOperand, _ op: FilterOp, _ right: ResolvedOperand, namer: ParamNamer) -> SQLFragment {
        var expr: SQLFragment
        switch op.base {
        case .eq: expr = equal(true, left, right)
        case .neq: expr = equal(false, left, right)
        case .like, .nlike:
            let not = op.base == .nlike ? "NOT " : ""
            if right.params.isEmpty {
                expr = SQLFragment("\(left.identifier) \(not)LIKE ('%' || \(right.identifier) || '%') ESCAPE '\\'", left.params)
            } else {
                expr = SQLFragment("\(left.identifier) \(not)LIKE \(right.identifier) ESCAPE '\\'", merged(left.params, wrapLike(right.params)))
            }
        default:
            expr = SQLFragment("\(left.identifier) \(op.base.rawValue) \(right.identifier)", merged(left.params, right.params))
        }
        if !op.isAny {
            if let lm = left.multiMatch, let rm = right.multiMatch {
                let mm = manyVsMany(lm, left.noCoalesce, rm, right.noCoalesce, op, namer: namer)
                expr = SQLFragment("(\(expr.sql) AND \(mm.sql))", merged(expr.params, mm.params))
            } else if let lm = left.multiMatch {
                let mm = manyVsOne(lm, noCoalesce: left.noCoalesce, op: op, other: right, inverse: false, namer: namer)
                expr = SQLFragment("(\(expr.sql) AND \(mm.sql))", merged(expr.params, mm.params))
            } else if let rm = right.multiMatch {
                let mm = manyVsOne(rm, noCoalesce: right.noCoalesce, op: op, other: left, inverse: true, namer: namer)
                expr = SQLFragment("(\(expr.sql) AND \(mm.sql))", merged(expr.params, mm.params))
            }
        }
        if let f = left.afterBuild { expr = f(expr) }
        if let f = right.afterBuild { expr = f(expr) }
        return expr
    }

    /// NULL and '' are equal; columns are COALESCEd unless known non-empty.
    static func equal(_ isEqual: Bool, _ left: ResolvedOperand, _ right: ResolvedOperand) -> SQLFragment {
        let leftEmpty = left.isEmptyIdentifier || left.hasEmptyParam
        let rightEmpty = right.isEmptyIdentifier || right.hasEmptyParam
        let eqOp = isEqual ? "=" : "IS NOT"
        let nullEqOp = isEqual ? "IS" : "IS NOT"
        let concat = isEqual ? "OR" : "AND"
        let nullExpr = isEqual ? "IS NULL" : "IS NOT NULL"
        let params = merged(left.params, right.params)
        if left.noCoalesce || right.noCoalesce {
            return SQLFragment("\(left.identifier) \(nullEqOp) \(right.identifier)", params)
        }
        if leftEmpty && rightEmpty { return SQLFragment("'' \(eqOp) ''", params) }
        if left.isKnownNonEmpty || right.isKnownNonEmpty {
            return SQLFragment("\(leftEmpty ? "''" : left.identifier) \(eqOp) \(rightEmpty ? "''" : right.identifier)", params)
        }
        if leftEmpty {
            return SQLFragment("('' \(eqOp) \(right.identifier) \(concat) \(right.identifier) \(nullExpr))", params)
        }
        if rightEmpty {
            return SQLFragment("(\(left.identifier) \(eqOp) '' \(concat) \(left.identifier) \(nullExpr))", params)
        }
        return SQLFragment("COALESCE(\(left.identifier), '') \(eqOp) COALESCE(\(right.identifier), '')", params)
    }

    /// `~` on a literal: escape `\ % _` and wrap in `%…%` unless it already has an unescaped `%`.
    static func wrapLike(_ params: [String: SQLValue]) -> [String: SQLValue] {
        params.mapValues { v in
            var s: String
            switch v {
            case .text(let t): s = t
            case .real(let d): s = JSONValue.formatNumber(d)
            case .integer(let i): s = String(i)
            case .null: s = ""
            }
            if !containsUnescaped(s, "%") { s = "%" + escapeUnescaped(s, ["\\", "%", "_"]) + "%" }
            return .text(s)
        }
    }

    static func containsUnescaped(_ s: String, _ ch: Character) -> Bool {
        var prev: Character? = nil
        for c in s {
            if c == ch && prev != "\\" { return true }
            prev = (c == "\\" && prev == "\\") ? nil : c
        }
        return false
    }

    static func escapeUnescaped(_ s: String, _ chars: Set<Character>) -> String {
        let rs = Array(s)
        var result: [Character] = []
        var match = false
        var i = rs.count - 1
        while i >= 0 {
            if match {
                if rs[i] != "\\" { result.append("\\") }
                match = false
            } else if chars.contains(rs[i]) {
                match = true
            }
            result.append(rs[i])
            if i == 0 && match { result.append("\\") }
            i -= 1
        }
        return String(result.reversed())
    }

    static func afterMultiMatch(_ op: FilterOp, aliases: [String]) -> (SQLFragment) -> SQLFragment {
        { expr in
            let negated = SQLFragment("NOT (\(expr.sql))", expr.params)
            if op == .eq { return negated }
            let nulls = aliases.map { "\(SQLQuote.column($0, "multiMatchValue")) IS NULL" }
            return SQLFragment("((\(negated.sql)) OR " + nulls.joined(separator: " OR ") + ")", negated.params)
        }
    }

    static func manyVsOne(
        _ sub: MultiMatchSubquery, noCoalesce: Bool, op: FilterOp, other: ResolvedOperand, inverse: Bool, namer: ParamNamer
    ) -> SQLFragment {
        let alias = "__sm" + namer.next("")
        let r1 = ResolvedOperand(
            identifier: SQLQuote.column(alias, "multiMatchValue"), noCoalesce: noCoalesce, afterBuild: afterMultiMatch(op, aliases: [alias]))
        let r2 = ResolvedOperand(identifier: other.identifier, params: other.params)
        let whereExpr = inverse ? buildResolvers(r2, op, r1, namer: namer) : buildResolvers(r1, op, r2, namer: namer)
        let subSQL = sub.build()
        return SQLFragment(
            "NOT EXISTS (SELECT 1 FROM (\(subSQL.sql)) \(SQLQuote.ident(alias)) WHERE \(whereExpr.sql))", merged(subSQL.params, whereExpr.params))
    }

    static func manyVsMany(
        _ l: MultiMatchSubquery, _ lNoCoalesce: Bool, _ r: MultiMatchSubquery, _ rNoCoalesce: Bool, _ op: FilterOp, namer: ParamNamer
    ) -> SQLFragment {
        let n = namer.next("")
        let lAlias = "__ml" + n, rAlias = "__mr" + n
        let whereExpr = buildResolvers(
            ResolvedOperand(identifier: SQLQuote.column(lAlias, "multiMatchValue"), noCoalesce: lNoCoalesce), op,
            ResolvedOperand(
                identifier: SQLQuote.column(rAlias, "multiMatchValue"), noCoalesce: rNoCoalesce,
                afterBuild: afterMultiMatch(op, aliases: [lAlias, rAlias])), namer: namer)
        let ls = l.build(), rs = r.build()
        return SQLFragment(
            "NOT EXISTS (SELECT 1 FROM (\(ls.sql)) \(SQLQuote.ident(lAlias)) LEFT JOIN (\(rs.sql)) \(SQLQuote.ident(rAlias)) WHERE \(whereExpr.sql))",
            merged(merged(ls.params, rs.params), whereExpr.params))
    }
}
