import Foundation

/// Derives a view collection's fields from its SELECT, cloning source fields like PocketBase does.
enum ViewFields {
    static func derive(query: String, submitted: [Field], lookup: (String) -> Collection?) -> [Field]? {
        guard let (columns, table) = parse(query), let source = lookup(table) else { return nil }
        let submittedByName = Dictionary(submitted.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return columns.map { col in
            let (expr, name) = col
            if name == "id" {
                var f = Field.idField(autogenerate: "", min: 0, max: 0)
                if let s = submittedByName["id"] { f.raw["id"] = .string(s.id) }
                return f
            }
            let id = submittedByName[name]?.id ?? "_clone_" + Identifiers.random(4, alphabet: Identifiers.alphanumeric)
            if let src = source.field(expr) {
                var raw = src.raw
                raw["id"] = .string(id)
                raw["name"] = .string(name)
                raw["system"] = false
                return Field(raw: raw)
            }
            return Field.make("json", name).merged(JSONObject([("id", .string(id)), ("maxSize", 1)]))
        }
    }

    /// Very small SELECT parser: `SELECT a, "b", t.c AS d FROM table …`.
    static func parse(_ query: String) -> ([(String, String)], String)? {
        let lower = query.lowercased()
        guard let selectRange = lower.range(of: "select"), let fromRange = lower.range(of: "from", range: selectRange.upperBound..<lower.endIndex)
        else { return nil }
        let list = query[selectRange.upperBound..<fromRange.lowerBound]
        let afterFrom = query[fromRange.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        let table = unquote(String(afterFrom.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first ?? ""))
        var columns: [(String, String)] = []
        for part in splitTopLevel(String(list)) {
            let p = part.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !p.isEmpty else { continue }
            let words = p.components(separatedBy: .whitespacesAndNewlines).filter { !$0.isEmpty }
            var expr = p
            var name: String
            if words.count >= 3, words[words.count - 2].lowercased() == "as" {
                name = unquote(words.last!)
                expr = words.dropLast(2).joined(separator: " ")
            } else {
                name = unquote(String(p.split(separator: ".").last ?? Substring(p)))
            }
            expr = unquote(String(expr.split(separator: ".").last ?? Substring(expr)))
            if name.isEmpty { name = expr }
            columns.append((expr, name))
        }
        return (columns, table)
    }

    static func unquote(_ s: String) -> String { s.trimmingCharacters(in: CharacterSet(charactersIn: "`\"[]' \n\t")) }

    static func splitTopLevel(_ s: String) -> [String] {
        var parts: [String] = []
        var depth = 0
        var cur = ""
        for ch in s {
            if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
            if ch == ",", depth == 0 { parts.append(cur); cur = "" } else { cur.append(ch) }
        }
        parts.append(cur)
        return parts
    }
}
