import Foundation

/// `?fields=a,b.c,*,body:excerpt(200,true)` projection, applied to every JSON success response.
enum FieldsProjection {
    typealias Modifier = (JSONValue) -> JSONValue

    static func apply(_ value: JSONValue, fields: String?) -> JSONValue {
        guard let fields, !fields.trimmingCharacters(in: .whitespaces).isEmpty else { return value }
        return pick(value, parse(fields))
    }

    /// Comma list (commas inside parentheses belong to modifier arguments), each `path[:modifier(args)]`.
    static func parse(_ raw: String) -> [(String, Modifier?)] {
        var tokens: [String] = []
        var cur = ""
        var depth = 0
        for ch in raw {
            if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
            if ch == "," && depth <= 0 { tokens.append(cur); cur = "" } else { cur.append(ch) }
        }
        tokens.append(cur)
        return tokens.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { token in
            let parts = token.split(separator: ":", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? modifier(parts[1]) : nil)
        }
    }

    /// `excerpt(max, withEllipsis?)`; unknown modifiers leave the value unchanged.
    static func modifier(_ spec: String) -> Modifier? {
        guard spec.hasPrefix("excerpt("), spec.hasSuffix(")") else { return nil }
        let args = spec.dropFirst("excerpt(".count).dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = args.first, let max = Int(first), max > 0, args.count <= 2 else { return nil }
        let ellipsis = args.count > 1 && Coerce.toBool(.string(args[1]))
        return { value in
            guard case .string(let s) = value else { return value }
            return .string(Excerpt.make(s, max: max, ellipsis: ellipsis))
        }
    }

    static func pick(_ value: JSONValue, _ fields: [(String, Modifier?)]) -> JSONValue {
        switch value {
        case .array(let a): return .array(a.map { $0.objectValue == nil ? $0 : pick($0, fields) })
        case .object(let o):
            var fields = fields
            if let star = fields.first(where: { $0.0 == "*" }) {
                for k in o.keys where !fields.contains(where: { ($0.0 + ".").hasPrefix(k + ".") }) { fields.append((k, star.1)) }
            }
            var out = JSONObject()
            for (k, v) in o {
                let matching = fields.filter { ($0.0 + ".").hasPrefix(k + ".") }
                if matching.isEmpty { continue }
                if let direct = matching.first(where: { $0.0 == k }) {
                    out[k] = direct.1?(v) ?? v
                    continue
                }
                out[k] = pick(v, matching.map { (String($0.0.dropFirst(k.count + 1)), $0.1) })
            }
            return .object(out.sorted())
        default: return value
        }
    }
}

/// Plain-text excerpt of HTML like PocketBase's `:excerpt` (tags stripped, blocks spaced, whitespace collapsed,
/// truncated to `max` bytes).
enum Excerpt {
    static let excluded: Set<String> = [
        "head", "style", "script", "iframe", "embed", "applet", "object", "svg", "img", "picture", "dialog", "template", "button",
        "form", "textarea", "input", "select", "option",
    ]
    static let inline: Set<String> = [
        "a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite", "code", "em", "i", "label", "q", "small", "span", "strong",
        "strike", "sub", "sup", "time",
    ]

    static func make(_ html: String, max: Int, ellipsis: Bool) -> String {
        var out = ""
        var skipDepth = 0
        var skipTag = ""
        var i = html.startIndex
        func space() { if !out.hasSuffix(" ") { out += " " } }
        while i < html.endIndex {
            if html[i] == "<", let close = html[i...].firstIndex(of: ">") {
                var tag = html[html.index(after: i)..<close].trimmingCharacters(in: .whitespaces)
                let closing = tag.hasPrefix("/")
                if closing { tag.removeFirst() }
                let name = String(tag.prefix { $0.isLetter || $0.isNumber }).lowercased()
                if skipDepth > 0 {
                    if name == skipTag { skipDepth += closing ? -1 : (tag.hasSuffix("/") ? 0 : 1) }
                } else if excluded.contains(name) && !closing && !tag.hasSuffix("/") && !["img", "input"].contains(name) {
                    skipDepth = 1
                    skipTag = name
                } else if !name.isEmpty && !inline.contains(name) {
                    space()
                }
                i = html.index(after: close)
                continue
            }
            if skipDepth == 0 {
                let ch = html[i]
                if ch.isWhitespace { space() } else { out.append(ch) }
            }
            i = html.index(after: i)
        }
        var result = decodeEntities(out).trimmingCharacters(in: .whitespaces)
        if result.utf8.count > max {
            result = String(decoding: Array(result.utf8.prefix(max)), as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if ellipsis { result += "..." }
        }
        return result
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var r = s
        for (e, v) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&nbsp;", "\u{00A0}"), ("&amp;", "&")] {
            r = r.replacingOccurrences(of: e, with: v)
        }
        return r
    }
}
