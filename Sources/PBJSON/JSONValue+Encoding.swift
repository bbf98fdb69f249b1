import Foundation

extension JSONValue {
    /// Encodes like Go's `json.Encoder` with HTML escaping: compact, `<>&` and U+2028/9 escaped.
    public func encoded() -> String {
        var out = ""
        out.reserveCapacity(256)
        Self.write(self, into: &out)
        return out
    }

    /// Body as PocketBase writes it: encoded value plus the encoder's trailing newline.
    public func responseBody() -> String { encoded() + "\n" }

    static func write(_ value: JSONValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += Self.formatNumber(n)
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                write(v, into: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, p) in o.pairs.enumerated() {
                if i > 0 { out += "," }
                writeString(p.key, into: &out)
                out += ":"
                write(p.value, into: &out)
            }
            out += "}"
        }
    }

    /// Go's `json.MarshalIndent(v, prefix, indent)` (the prefix starts every line but the first); `escapeHTML: false`
    /// is an encoder with `SetEscapeHTML(false)`; `sortKeys` is how Go writes a `map[string]any`.
    public func encodedIndented(prefix: String = "", indent: String = "  ", escapeHTML: Bool = true, sortKeys: Bool = false) -> String {
        var out = ""
        Self.writeIndented(self, depth: 0, prefix: prefix, indent: indent, escapeHTML: escapeHTML, sortKeys: sortKeys, into: &out)
        return out
    }

    static func writeIndented(
        _ value: JSONValue, depth: Int, prefix: String, indent: String, escapeHTML: Bool, sortKeys: Bool, into out: inout String
    ) {
        func newline(_ level: Int) {
            out += "\n" + prefix + String(repeating: indent, count: level)
        }
        switch value {
        case .array(let a) where !a.isEmpty:
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                newline(depth + 1)
                writeIndented(v, depth: depth + 1, prefix: prefix, indent: indent, escapeHTML: escapeHTML, sortKeys: sortKeys, into: &out)
            }
            newline(depth)
            out += "]"
        case .object(let o) where !o.isEmpty:
            out += "{"
            let pairs = sortKeys ? o.pairs.sorted { $0.key < $1.key } : Array(o.pairs)
            for (i, p) in pairs.enumerated() {
                if i > 0 { out += "," }
                newline(depth + 1)
                writeString(p.key, escapeHTML: escapeHTML, into: &out)
                out += ": "
                writeIndented(p.value, depth: depth + 1, prefix: prefix, indent: indent, escapeHTML: escapeHTML, sortKeys: sortKeys, into: &out)
            }
            newline(depth)
            out += "}"
        case .string(let s): writeString(s, escapeHTML: escapeHTML, into: &out)
        default: write(value, into: &out)
        }
    }

    static func writeString(_ s: String, escapeHTML: Bool = true, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<" where escapeHTML: out += "\\u003c"
            case ">" where escapeHTML: out += "\\u003e"
            case "&" where escapeHTML: out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if u.value < 0x20 {
                    out += "\\u00" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    /// Go's float64 formatting in encoding/json: shortest representation, fixed notation
    /// between 1e-6 and 1e21, exponent otherwise (`1e-7`, `1e+21`).
    public static func formatNumber(_ f: Double) -> String {
        guard f.isFinite else { return "null" }
        if f == 0 { return f.sign == .minus ? "-0" : "0" }
        let absF = abs(f)
        if absF < 1e21, f == f.rounded(), absF < 9.007199254740992e15 {
            return String(Int64(f))
        }
        let desc = "\(f)"  // shortest round-trip digits
        if absF < 1e-6 || absF >= 1e21 {
            // exponent form: make it look like Go ("1e-07" -> "1e-7", "1e+21")
            guard let eIdx = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return desc }
            var mant = String(desc[..<eIdx])
            if mant.hasSuffix(".0") { mant.removeLast(2) }
            var exp = String(desc[desc.index(after: eIdx)...])
            var sign = "+"
            if exp.hasPrefix("-") { sign = "-"; exp.removeFirst() } else if exp.hasPrefix("+") { exp.removeFirst() }
            while exp.count > 1 && exp.hasPrefix("0") { exp.removeFirst() }
            if sign == "+" && exp.count < 2 { exp = "0" + exp }
            return mant + "e" + sign + exp
        }
        guard let eIdx = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return desc.hasSuffix(".0") ? String(desc.dropLast(2)) : desc
        }
        // expand exponent into fixed notation
        let neg = desc.hasPrefix("-")
        let mant = desc[desc.index(desc.startIndex, offsetBy: neg ? 1 : 0)..<eIdx]
        let exp = Int(desc[desc.index(after: eIdx)...].replacingOccurrences(of: "+", with: "")) ?? 0
        let parts = mant.split(separator: ".", omittingEmptySubsequences: false)
        var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
        var pointPos = parts[0].count + exp
        if digits.hasSuffix("0") && parts.count > 1 && parts[1] == "0" { digits.removeLast() }
        var result: String
        if pointPos <= 0 {
            result = "0." + String(repeating: "0", count: -pointPos) + digits
        } else if pointPos >= digits.count {
            result = digits + String(repeating: "0", count: pointPos - digits.count)
        } else {
            result = String(digits.prefix(pointPos)) + "." + String(digits.dropFirst(pointPos))
        }
        while result.contains(".") && result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        pointPos = 0
        return (neg ? "-" : "") + result
    }
}
