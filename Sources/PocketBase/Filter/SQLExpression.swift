import Foundation

/// A bound SQL value (kept free of database types so the filter engine stays pure).
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    var isEmpty: Bool {
        switch self {
        case .null: true
        case .text(let s): s.isEmpty
        default: false
        }
    }
}

/// SQL text with named parameters (`:name`).
public struct SQLFragment: Sendable, Equatable {
    public var sql: String
    public var params: [String: SQLValue]

    public init(_ sql: String, _ params: [String: SQLValue] = [:]) {
        self.sql = sql
        self.params = params
    }
}

/// Deterministic unique parameter names within one query.
final class ParamNamer: @unchecked Sendable {
    private var n = 0
    func next(_ prefix: String = "p") -> String {
        n += 1
        return "\(prefix)\(n)"
    }
}

public enum SQLQuote {
    public static func ident(_ s: String) -> String {
        // Byte test first: Foundation's replacingOccurrences was a visible share of every query's build.
        "`" + (s.utf8.contains(UInt8(ascii: "`")) ? s.replacingOccurrences(of: "`", with: "``") : s) + "`"
    }
    /// `alias.column` → `` `alias`.`column` ``
    public static func column(_ alias: String, _ col: String) -> String { ident(alias) + "." + ident(col) }
    /// PocketBase's Columnify: drops characters outside `[\w.*\-_@#]`.
    static func columnify(_ s: String) -> String {
        String(s.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || "_.*-@#".unicodeScalars.contains($0) })
    }

    static func jsonEach(_ col: String) -> String {
        "json_each(CASE WHEN json_valid(\(col)) THEN \(col) ELSE json_array(\(col)) END)"
    }

    static func jsonArrayLength(_ col: String) -> String {
        "json_array_length(CASE WHEN json_valid(\(col)) THEN \(col) ELSE (CASE WHEN \(col) = '' OR \(col) IS NULL THEN json_array() ELSE json_array(\(col)) END) END)"
    }

    static func jsonExtract(_ col: String, _ path: String) -> String {
        var p = path
        if !p.isEmpty && !p.hasPrefix("[") { p = "." + p }
        return "(CASE WHEN json_valid(\(col)) THEN JSON_EXTRACT(\(col), '$\(p)') ELSE JSON_EXTRACT(json_object('pb', \(col)), '$.pb\(p)') END)"
    }
}
