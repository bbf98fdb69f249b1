import Foundation
import HTTPTypes
import Hummingbird

/// `?fields=a,b.c,*,body:excerpt(200,true)` projection, applied to every JSON success response (PocketBase's
/// `tools/picker`). The paths are compiled into a tree once per response, so picking is linear in the data.
enum FieldsProjection {
    /// Why PocketBase's picker fails: it has already written `200`, so the client gets an empty 200.
    struct PickFailure: Error {}

    typealias Modifier = @Sendable (JSONValue) throws -> JSONValue

    final class Node {
        var terminal = false
        var modifier: Modifier?
        var children: [String: Node] = [:]
    }

    /// The projected value; nil when PocketBase's picker fails (bad fields syntax, unknown or invalid modifier, a
    /// modifier that panics) — see `respond`.
    static func apply(_ value: JSONValue, fields: String?) -> JSONValue? {
        guard let fields, !fields.isEmpty else { return value }
        guard let tree = try? parse(fields) else { return nil }  // PBTokenizer.Unbalanced or an invalid modifier
        return try? pick(value, tree)
    }

    /// The response for a success value: PocketBase's `e.JSON` writes the status before picking, so a failed pick
    /// is `200` (or the given status) with `Content-Length: 0`.
    static func respond(_ value: JSONValue, fields: String?, status: HTTPResponse.Status = .ok) -> Response {
        guard let picked = apply(value, fields: fields) else { return pickFailed(status: status) }
        return .json(picked, status: status)
    }

    static func pickFailed(status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.contentLength] = "0"
        return Response(status: status, headers: headers)
    }

    /// A list envelope: only `items` is picked (PocketBase's special case for search results).
    static func respondList(_ envelope: JSONObject, fields: String?, status: HTTPResponse.Status = .ok) -> Response {
        listBody(.object(envelope), fields: fields).response(status: status)
    }

    /// An encoded answer, kept by the list cache: the JSON bytes, or PocketBase's empty body of a failed pick.
    enum Body: Sendable {
        case json([UInt8])
        case pickFailed

        func response(status: HTTPResponse.Status) -> Response {
            switch self {
            case .json(let bytes): .json(utf8: bytes, status: status)
            case .pickFailed: FieldsProjection.pickFailed(status: status)
            }
        }
    }

    static func listBody(_ envelope: JSONValue, fields: String?) -> Body {
        guard case .object(var o) = envelope, let items = o["items"], let fields, !fields.isEmpty else {
            return .json(envelope.encodedUTF8(newline: true))
        }
        guard let picked = apply(items, fields: fields) else { return .pickFailed }
        o["items"] = picked
        return .json(JSONValue.object(o).encodedUTF8(newline: true))
    }

    /// PocketBase's tokenizer: comma separated, commas inside parentheses or quotes belong to the token;
    /// unbalanced parentheses or quotes are an error. Each token is `path[:modifier(args)]`.
    static func parse(_ raw: String) throws -> Node {
        let root = Node()
        for token in try PBTokenizer().scanAll(raw) {
            let parts = token.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let modifier = parts.count > 1 ? try self.modifier(String(parts[1])) : nil
            var node = root
            for segment in parts[0].split(separator: ".", omittingEmptySubsequences: false) {
                let key = String(segment)
                if let next = node.children[key] { node = next } else {
                    let next = Node()
                    node.children[key] = next
                    node = next
                }
            }
            node.terminal = true
            node.modifier = modifier
        }
        return root
    }

    /// `excerpt(max, withEllipsis?)`, the only modifier; anything else fails the pick like PocketBase's.
    static func modifier(_ spec: String) throws -> Modifier {
        let parts = try PBTokenizer(separators: ["(", ")", ",", " "], ignoreParenthesis: true).scanAll(spec)
        guard parts.first == "excerpt", parts.count >= 2, parts.count <= 3 else { throw PickFailure() }
        let max = GoCast.toInt(parts[1])
        guard max != 0 else { throw PickFailure() }
        let ellipsis = parts.count > 2 && GoCast.toBool(parts[2])
        return { value in
            guard case .string(let s) = value else { return value }
            // A negative max slices out of range in Go: the handler panics after the status went out.
            guard max > 0 else { throw PickFailure() }
            return .string(Excerpt.make(s, max: max, ellipsis: ellipsis))
        }
    }

    static func pick(_ value: JSONValue, _ node: Node) throws -> JSONValue {
        switch value {
        case .array(let a):
            // PocketBase only picks inside arrays of objects.
            guard a.first?.objectValue != nil else { return value }
            return .array(try a.map { try pick($0, node) })
        case .object(let o):
            guard !node.children.isEmpty else { return value }
            let star = node.children["*"].flatMap { $0.terminal ? $0 : nil }
            var out = JSONObject()
            for (k, v) in o {
                if let child = node.children[k] {
                    out[k] = child.terminal ? try child.modifier?(v) ?? v : try pick(v, child)
                } else if let star {
                    out[k] = try star.modifier?(v) ?? v
                }
            }
            return .object(out.sorted())
        default: return value
        }
    }
}

/// spf13/cast's conversions of modifier arguments.
enum GoCast {
    /// `cast.ToInt(string)`: `strconv.ParseInt(trimZeroDecimal(s), 0, 0)` (sign, `0x`/`0o`/`0b`/leading-0 octal
    /// prefixes, `_` digit separators), 0 on any error.
    static func toInt(_ raw: String) -> Int {
        var s = Substring(trimZeroDecimal(raw))
        var negative = false
        if let c = s.first, c == "+" || c == "-" {
            negative = c == "-"
            s = s.dropFirst()
        }
        var base = 10
        var prefixed = false
        let lower = s.lowercased()
        if lower.hasPrefix("0x") { base = 16; s = s.dropFirst(2); prefixed = true }
        else if lower.hasPrefix("0o") { base = 8; s = s.dropFirst(2); prefixed = true }
        else if lower.hasPrefix("0b") { base = 2; s = s.dropFirst(2); prefixed = true }
        else if s.count > 1 && s.hasPrefix("0") { base = 8; s = s.dropFirst(); prefixed = true }
        guard !s.isEmpty else { return 0 }
        // Underscores only between digits (or right after a base prefix), as Go's underscoreOK allows.
        if s.utf8.contains(UInt8(ascii: "_")) {
            if s.hasSuffix("_") || s.contains("__") || (!prefixed && s.hasPrefix("_")) { return 0 }
            s = Substring(s.replacingOccurrences(of: "_", with: ""))
        }
        guard let magnitude = UInt64(s, radix: base) else { return 0 }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return 0 }
            return magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return 0 }
        return Int(magnitude)
    }

    static func trimZeroDecimal(_ s: String) -> String {
        var foundZero = false
        for i in s.indices.reversed() {
            switch s[i] {
            case ".": return foundZero ? String(s[..<i]) : s
            case "0": foundZero = true
            default: return s
            }
        }
        return s
    }

    /// `cast.ToBool(string)` = `strconv.ParseBool`, false on error.
    static func toBool(_ s: String) -> Bool { ListQuery.parseBool(s) ?? false }
}

/// Plain-text excerpt of HTML like PocketBase's `:excerpt` (tags stripped, blocks spaced, whitespace collapsed,
/// truncated to `max` bytes).
enum Excerpt {
    static let goSpace: Set<Character> = [" ", "\t", "\n", "\u{0C}", "\r", "\r\n"]

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
        // The next `>` at or after `i`, found once and reused (a text of many `<` was quadratic).
        var nextClose: String.Index? = nil
        var searched = false
        func space() { if !out.hasSuffix(" ") { out += " " } }
        while i < html.endIndex {
            // PocketBase stops walking once it has more than max+2 bytes (max+2 wraps for huge max: stop at once).
            if out.utf8.count > max &+ 2 { break }
            if html[i] == "<", !searched || (nextClose.map { $0 < i } ?? false) {
                nextClose = html[i...].firstIndex(of: ">")
                searched = true
            }
            if html[i] == "<", let close = nextClose {
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
                // The HTML tokenizer PocketBase uses drops NUL characters from text.
                // Go's `\s+` (ASCII whitespace) collapses; a no-break or other Unicode space is kept as it is.
                if Excerpt.goSpace.contains(ch) { space() } else if ch != "\0" { out.append(ch) }
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
        guard s.utf8.contains(UInt8(ascii: "&")) else { return s }
        var r = s
        for (e, v) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&nbsp;", "\u{00A0}"), ("&amp;", "&")] {
            r = r.replacingOccurrences(of: e, with: v)
        }
        return r
    }
}
