/// fexpr v0.4.1's syntax tree: a flat list of (join, item) pairs where an item is a comparison or a group.
public enum FilterJoin: String, Sendable, Equatable { case and = "&&", or = "||" }

public enum FilterTokenKind: String, Sendable, Equatable {
    case identifier, number, text
}

public struct FilterOperand: Sendable, Equatable {
    public var kind: FilterTokenKind
    public var literal: String
}

/// The 16 comparison operators; the `?` forms are "any" matches on multi-valued paths.
public enum FilterOp: String, Sendable, Equatable, CaseIterable {
    case eq = "=", neq = "!=", like = "~", nlike = "!~", lt = "<", lte = "<=", gt = ">", gte = ">="
    case anyEq = "?=", anyNeq = "?!=", anyLike = "?~", anyNlike = "?!~", anyLt = "?<", anyLte = "?<=", anyGt = "?>", anyGte = "?>="

    public var isAny: Bool { rawValue.hasPrefix("?") }

    /// The operator without its "any" prefix.
    public var base: FilterOp { isAny ? FilterOp(rawValue: String(rawValue.dropFirst()))! : self }
}

public struct FilterComparison: Sendable, Equatable {
    public var left: FilterOperand
    public var op: FilterOp
    public var right: FilterOperand
}

public indirect enum FilterItem: Sendable, Equatable {
    case comparison(FilterComparison)
    case group([FilterGroup])
}

public struct FilterGroup: Sendable, Equatable {
    public var join: FilterJoin
    public var item: FilterItem
}

extension FilterOperand {
    /// Source text that scans back to the same operand.
    var source: String {
        switch kind {
        case .identifier, .number: literal
        case .text:
            // Only `\<quote>` is an escape; pick the quote that needs no escaping when possible.
            if !literal.contains("'") && !literal.hasSuffix("\\") { "'" + literal + "'" }
            else if !literal.contains("\"") && !literal.hasSuffix("\\") { "\"" + literal + "\"" }
            else { "'" + literal.replacingOccurrences(of: "'", with: "\\'") + "'" }
        }
    }
}

extension Array where Element == FilterGroup {
    /// Prints the tree as filter text (used by the round-trip property test and in logs).
    public func filterSource() -> String {
        var out = ""
        for (i, g) in enumerated() {
            if i > 0 { out += " \(g.join.rawValue) " }
            switch g.item {
            case .comparison(let c): out += "\(c.left.source) \(c.op.rawValue) \(c.right.source)"
            case .group(let inner): out += "(" + inner.filterSource() + ")"
            }
        }
        return out
    }
}
