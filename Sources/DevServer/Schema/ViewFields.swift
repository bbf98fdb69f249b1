import Foundation

/// Derives a view collection's fields from its SELECT, cloning source fields like PocketBase does.
enum ViewFields {
    static func derive(query: String, submitted: [Field], lookup: (String) -> Collection?) -> [Field]? {
        guard let (columns, tables) = parse(query), let main = tables.first, let mainSource = lookup(main.name) else { return nil }
        let submittedByName = Dictionary(submitted.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        func newID(_ name: String) -> String { submittedByName[name]?.id ?? "_clone_" + Identifiers.random(4, alphabet: Identifiers.alphanumeric) }
        // Computed columns get the default field id (type + crc32 of the name); only clones of source fields get
        // a `_clone_` id.
        func plain(_ type: String, _ name: String, _ extra: [(String, JSONValue)] = []) -> Field {
            Field.decoded(type, JSONObject([("id", .string(Identifiers.fieldID(type: type, name: name))), ("name", .string(name))] + extra))
        }
        return columns.map { col in
            let (original, name) = col
            let lower = original.lowercased()
            if name == "id" {
                var f = Field.idField(autogenerate: "", min: 0, max: 0)
                if let s = submittedByName["id"] { f.raw["id"] = .string(s.id) }
                return f
            }
            // core/view.go: numeric aggregates and casts get a type, other expressions the json fallback.
            if lower.hasPrefix("count(") || lower.hasPrefix("total(") { return plain("number", name) }
            if let castType = castTarget(lower) {
                switch castType {
                case "real", "integer", "int", "decimal", "numeric": return plain("number", name)
                case "text": return plain("text", name)
                case "boolean", "bool": return plain("bool", name)
                default: break
                }
            }
            let parts = original.split(separator: ".", omittingEmptySubsequences: false).map { unquote(String($0)) }
            let source: Collection?
            let fieldName: String
            if parts.count == 2 {
                source = tables.first { $0.alias == parts[0] }.flatMap { lookup($0.name) }
                fieldName = parts[1]
            } else {
                source = parts.count == 1 ? mainSource : nil
                fieldName = parts[0]
            }
            guard let source, let src = source.fields.first(where: { $0.name.lowercased() == fieldName.lowercased() }) else {
                return plain("json", name, [("maxSize", 1)])
            }
            if fieldName.lowercased() == "id" {
                return plain("relation", name, [("maxSelect", 1), ("collectionId", .string(source.id))])
            }
            var raw = src.raw
            raw["id"] = .string(newID(name))
            raw["name"] = .string(name)
            return Field(raw: raw)
        }
    }

    /// `cast(… as TYPE)` (PocketBase's `(?i)^cast\s*\(.*\s+as\s+(\w+)\s*\)$`) → TYPE.
    static func castTarget(_ lower: String) -> String? {
        guard lower.hasPrefix("cast"), lower.hasSuffix(")") else { return nil }
        let afterCast = lower.dropFirst(4).drop { $0 == " " || $0 == "\t" || $0 == "\n" }
        guard afterCast.hasPrefix("(") else { return nil }
        let inner = afterCast.dropFirst().dropLast().trimmingCharacters(in: .whitespacesAndNewlines)
        guard let asRange = inner.range(of: " as ", options: .backwards) else { return nil }
        let type = inner[asRange.upperBound...].trimmingCharacters(in: .whitespaces)
        return !type.isEmpty && type.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) ? type : nil
    }

    struct TableRef {
        let name: String
        let alias: String
    }

    static let sqlKeywords: Set<String> = [
        "where", "group", "order", "limit", "join", "left", "right", "inner", "outer", "cross", "full", "natural", "on", "using",
        "union", "having", "window", "as",
    ]

    /// Very small SELECT parser: `SELECT a, "b", t.c AS d FROM table [AS] t JOIN other o ON …` → the columns
    /// (expression, name) and the tables with their aliases (the first is the main one).
    static func parse(_ query: String) -> ([(String, String)], [TableRef])? {
        let lower = query.lowercased()
        guard let selectRange = lower.range(of: "select"), let fromRange = lower.range(of: "from", range: selectRange.upperBound..<lower.endIndex)
        else { return nil }
        let list = query[selectRange.upperBound..<fromRange.lowerBound]
        let words = query[fromRange.upperBound...].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "," || $0 == "\r" })
            .map(String.init)
        var tables: [TableRef] = []
        var expectTable = true
        var k = 0
        while k < words.count {
            let w = words[k].lowercased()
            if expectTable, !sqlKeywords.contains(w), !w.hasPrefix("(") {
                let name = unquote(words[k])
                var alias = name
                var next = k + 1
                if next < words.count, words[next].lowercased() == "as" { next += 1 }
                if next < words.count, !sqlKeywords.contains(words[next].lowercased()) {
                    alias = unquote(words[next])
                    k = next
                }
                tables.append(TableRef(name: name, alias: alias))
                expectTable = false
            } else if w == "join" {
                expectTable = true
            }
            k += 1
        }
        guard !tables.isEmpty else { return nil }
        var columns: [(String, String)] = []
        for part in splitTopLevel(String(list)) {
            let p = part.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !p.isEmpty else { continue }
            let words = p.components(separatedBy: .whitespacesAndNewlines).filter { !$0.isEmpty }
            var expr = p
            var name: String
            if words.count >= 3, words[words.count - 2].lowercased() == "as", let last = words.last {
                name = unquote(last)
                expr = words.dropLast(2).joined(separator: " ")
            } else {
                name = unquote(String(p.split(separator: ".").last ?? Substring(p)))
            }
            if name.isEmpty { name = expr }
            columns.append((expr, name))
        }
        return (columns, tables)
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
