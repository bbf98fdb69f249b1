/// PocketBase's `tools/tokenizer`: splits on separators outside parentheses and quotes (`'`, `"`, `` ` ``, a
/// backslash escapes the next character), trims whitespace that is not a separator, skips empty tokens unless told
/// otherwise; an unbalanced parenthesis or quote is an error. Used for `fields`, modifiers and view queries.
struct PBTokenizer {
    struct Unbalanced: Error, CustomStringConvertible {
        var token: String
        var description: String { "unbalanced parenthesis or quoted expression: \"\(token)\"" }
    }

    var separators: Set<Character> = [","]
    var keepSeparator = false
    var ignoreParenthesis = false

    static let whitespace: [Character] = ["\t", "\n", "\u{0B}", "\u{0C}", "\r", " ", "\u{85}", "\u{A0}"]

    func scanAll(_ text: String) throws -> [String] {
        let trimSet = Set(Self.whitespace.filter { !separators.contains($0) })
        var tokens: [String] = []
        var chars = text[...]
        while !chars.isEmpty {
            var token = ""
            var depth = 0
            var quote: Character? = nil
            var previous: Character? = nil
            while let ch = chars.popFirst() {
                if previous != "\\" {
                    if !ignoreParenthesis && ch == "(" && quote == nil {
                        depth += 1
                    } else if !ignoreParenthesis && ch == ")" && depth > 0 && quote == nil {
                        depth -= 1
                    } else if ch == "'" || ch == "\"" || ch == "`" {
                        if quote == ch { quote = nil } else if quote == nil { quote = ch }
                    }
                }
                if separators.contains(ch) && depth == 0 && quote == nil {
                    if keepSeparator { token.append(ch) }
                    break
                }
                previous = ch
                token.append(ch)
            }
            guard depth == 0, quote == nil else { throw Unbalanced(token: token) }
            let trimmed = String(token.drop { trimSet.contains($0) }.reversed().drop { trimSet.contains($0) }.reversed())
            if !trimmed.isEmpty { tokens.append(trimmed) }
        }
        return tokens
    }
}
