import Foundation

/// Derives a view collection's fields from its SELECT, cloning source fields like PocketBase does.
enum ViewFields {
    static func derive(query: String, submitted: [Field], lookup: (String) -> CollectionModel?) -> [Field]? {
        guard let (columns, tables) = try? parse(query), let main = tables.first, let mainSource = lookup(main.name) else { return nil }
        let submittedByName = Dictionary(submitted.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // CreateViewFields: every save clones the source fields anew, with new `_clone_` ids.
        func newID(_ name: String) -> String { "_clone_" + Identifiers.random(4, alphabet: Identifiers.alphanumeric) }
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
            let source: CollectionModel?
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

    /// Why a view query is refused: PocketBase's `Invalid query - <reason>`.
    struct QueryError: Error, CustomStringConvertible {
        var description: String
    }

    static func regex(_ pattern: String) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .anchorsMatchLines])
    }
    static let joinReplace = regex(
        #"\s+(full\s+outer\s+join|left\s+outer\s+join|right\s+outer\s+join|full\s+join|cross\s+join|inner\s+join|outer\s+join|left\s+join|right\s+join|join)\s+?"#)
    static let discardReplace = regex(#"\s+(where|group\s+by|having|order|limit|with)\s+?"#)
    static let commentsReplace = try? NSRegularExpression(pattern: #"(\/\*[\s\S]+\*\/)|(--.+$)"#, options: [.anchorsMatchLines])

    static func replacing(_ re: NSRegularExpression?, in s: String, with template: String) -> String {
        guard let re else { return s }
        return re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
    }

    /// core/view.go's `identifiersParser`: the columns (expression, name) and the tables of FROM and the JOINs with
    /// their aliases (the first is the main one). Throws PocketBase's reasons.
    static func parse(_ query: String) throws -> ([(String, String)], [TableRef]) {
        var str = query.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ";"))
        str = replacing(joinReplace, in: str, with: " _join_ ")
        str = replacing(discardReplace, in: str, with: " _discard_ ")
        str = replacing(commentsReplace, in: str, with: "")
        var skip = false
        var part = ""
        var select = "", from = "", join = ""
        for token in try PBTokenizer(separators: [",", " ", "\n", "\t"], keepSeparator: true).scanAll(str) {
            let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            switch trimmed {
            case "select": skip = false; part = "select"
            case "distinct": continue
            case "from": skip = false; part = "from"
            case "_join_":
                skip = false
                if part == "join" { join += "," }
                part = "join"
            case "_discard_": skip = true
            default:
                if part == "join" && trimmed == "on" { skip = true }
                guard !skip else { continue }
                switch part {
                case "select": select += " " + token
                case "from": from += " " + token
                case "join": join += " " + token
                default: break
                }
            }
        }
        let columns = try identifiers(select)
        let tables = try identifiers(from) + identifiers(join)
        return (columns, tables.map { TableRef(name: $0.0, alias: $0.1) })
    }

    static func identifiers(_ raw: String) throws -> [(String, String)] {
        try PBTokenizer().scanAll(raw).map { rawIdentifier in
            let parts = try PBTokenizer(separators: [" ", "\n", "\t"]).scanAll(rawIdentifier)
            var original: String
            var alias: String
            switch parts.count {
            case 3:
                guard parts[1].lowercased() == "as" else { throw QueryError(description: "invalid identifier part - expected \"as\", got \(parts[1])") }
                (original, alias) = (parts[0], parts[2])
            case 2: (original, alias) = (parts[0], parts[1])
            case 1: (original, alias) = (parts[0], parts[0].split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? parts[0])
            default: throw QueryError(description: "invalid identifier parts [\(parts.joined(separator: " "))]")
            }
            original = trimRaw(original, "`\"[];")
            alias = trimRaw(alias, "`\"[];'")
            return (original, alias)
        }
    }

    static func trimRaw(_ s: String, _ chars: String) -> String {
        s.split(separator: ".", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: chars)) }
            .joined(separator: ".")
    }

    /// What PocketBase's collection validator says of a view query (nil: fine).
    static func validate(_ query: String) -> String? {
        do {
            let (columns, _) = try parse(query)
            if !columns.contains(where: { $0.1 == "id" }) {
                return "missing required id column (you can use `(ROW_NUMBER() OVER()) as id` if you don't have one)"
            }
            return nil
        } catch {
            return "\(error)"
        }
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
