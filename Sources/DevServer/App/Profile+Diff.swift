import Foundation
import PocketBase

extension Profile {
    /// Every difference between two profiles as a Markdown table: the schema diff of their bundled collections
    /// (collections, fields, rules, options) followed by their hooks. `sptfy-dev schema diff --markdown
    /// profile:production profile:guide` prints it; the README's table is this text (a test keeps them equal).
    public static func markdownDiff(_ a: Profile, _ b: Profile) throws -> String {
        let diff = SchemaDiff(a: try a.collections(), b: try b.collections())
        var out = "| collection | what | \(a.rawValue) | \(b.rawValue) |\n|---|---|---|---|\n"
        for c in diff.changes {
            let what: String
            switch (c.kind, c.path.isEmpty) {
            case ("+", true): what = "collection only in \(b.rawValue)"
            case ("-", true): what = "collection only in \(a.rawValue)"
            default: what = "`\(c.path)`"
            }
            out += "| `\(c.collection)` | \(what) | \(cell(c.a, whole: c.path.isEmpty && c.kind == "-")) | \(cell(c.b, whole: c.path.isEmpty && c.kind == "+")) |\n"
        }
        let hooks = Set(a.hooks.keys).union(b.hooks.keys).sorted()
        for name in hooks where a.hooks[name] != b.hooks[name] {
            out += "| hook | \(name) | \(escape(a.hooks[name] ?? "—")) | \(escape(b.hooks[name] ?? "—")) |\n"
        }
        return out
    }

    static func cell(_ v: JSONValue?, whole: Bool) -> String {
        if whole { return "✓" }
        guard let v else { return "—" }
        let raw: String
        switch v {
        case .string(let text) where text.isEmpty: return "\"\""
        case .string(let text): raw = text
        case .null: return "null"
        case .object(let o) where o["type"] != nil && o["name"] != nil: return "\(o["type"]?.stringValue ?? "") field"  // a whole field
        default: raw = v.encoded()
        }
        var text = escape(raw)
        if text.count > 80 { text = String(text.prefix(79)) + "…" }
        // A code span that may itself hold backticks (index SQL) needs a longer fence.
        return text.contains("`") ? "`` \(text) ``" : "`\(text)`"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\\u0026", with: "&").replacingOccurrences(of: "\\u003c", with: "<").replacingOccurrences(of: "\\u003e", with: ">")
    }
}
