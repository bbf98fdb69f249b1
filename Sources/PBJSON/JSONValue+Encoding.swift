import Foundation

extension JSONValue {
    /// Encodes like Go's `json.Encoder` with HTML escaping: compact, `<>&` and U+2028/9 escaped.
    public func encoded() -> String {
        String(decoding: encodedUTF8(), as: UTF8.self)
    }

    /// `encoded()` as UTF-8 bytes (responses go out as bytes: no String in between).
    public func encodedUTF8(newline: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        Self.write(self, into: &out)
        if newline { out.append(0x0A) }
        return out
    }

    /// Body as PocketBase writes it: encoded value plus the encoder's trailing newline.
    public func responseBody() -> String { encoded() + "\n" }

    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .number(let n): out += Self.formatNumber(n).utf8
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            var first = true
            for v in a {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(v, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            var first = true
            for p in o.pairs {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(p.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(p.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
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
        default: out += value.encoded()
        }
    }

    static func writeString(_ s: String, escapeHTML: Bool = true, into out: inout String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 2)
        writeString(s, escapeHTML: escapeHTML, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// Go's encodeState.string on the UTF-8 bytes: runs of plain bytes are copied at once (a Swift String is valid
    /// UTF-8, so only ASCII escapes and U+2028/9 — E2 80 A8/A9 — need looking at).
    static func writeString(_ s: String, escapeHTML: Bool = true, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var copy = s
        copy.withUTF8 { buf in
            var run = 0, i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                let escape: StaticString?
                var width = 1
                switch b {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case UInt8(ascii: "\n"): escape = "\\n"
                case UInt8(ascii: "\r"): escape = "\\r"
                case UInt8(ascii: "\t"): escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case UInt8(ascii: "<") where escapeHTML: escape = "\\u003c"
                case UInt8(ascii: ">") where escapeHTML: escape = "\\u003e"
                case UInt8(ascii: "&") where escapeHTML: escape = "\\u0026"
                case 0xE2 where i + 2 < n && buf[i + 1] == 0x80 && (buf[i + 2] == 0xA8 || buf[i + 2] == 0xA9):
                    escape = buf[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                case 0..<0x20: escape = nil
                default:
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i]))
                if let escape {
                    out.append(contentsOf: UnsafeBufferPointer(start: escape.utf8Start, count: escape.utf8CodeUnitCount))
                } else {
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
                }
                i += width
                run = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<n]))
        }
        out.append(UInt8(ascii: "\""))
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
