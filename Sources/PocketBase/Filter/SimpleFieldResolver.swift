import Foundation

/// PocketBase's SimpleFieldResolver: a fixed list of columns (exact names or `^…$` patterns); a dotted name is a
/// JSON path into its first part's column (`data.status` → `JSON_EXTRACT([[data]], '$.status')`).
final class SimpleFieldResolver: FilterFieldResolver {
    let exact: Set<String>
    let patterns: [NSRegularExpression]
    let namer = ParamNamer()

    init(_ allowed: [String]) {
        exact = Set(allowed.filter { !($0.hasPrefix("^") && $0.hasSuffix("$")) })
        patterns = allowed.filter { $0.hasPrefix("^") && $0.hasSuffix("$") }.compactMap { try? NSRegularExpression(pattern: $0) }
    }

    func resolve(_ name: String) throws -> ResolvedOperand {
        let range = NSRange(name.startIndex..., in: name)
        guard exact.contains(name) || patterns.contains(where: { $0.firstMatch(in: name, range: range) != nil }) else {
            throw FilterResolveError(description: "Failed to resolve field \"\(name)\".")
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, parts.count > 1 else {
            return ResolvedOperand(identifier: SQLQuote.ident(SQLQuote.columnify(name)))
        }
        var path = "$"
        for part in parts.dropFirst() {
            let col = SQLQuote.columnify(part)
            path += Int(part) != nil ? "[\(col)]" : ".\(col)"
        }
        return ResolvedOperand(identifier: "JSON_EXTRACT(\(SQLQuote.ident(SQLQuote.columnify(first))), '\(path)')", noCoalesce: true)
    }
}
