import Foundation

/// Id and random-string helpers matching PocketBase's generators.
public enum Identifiers {
    public static let lowerAlphanumeric = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    public static let alphanumeric = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// `length` characters drawn uniformly from `alphabet` (at most 256 characters) with the system's secure
    /// generator, like PocketBase's crypto/rand ids. Bytes are drawn 8 at a time and rejection-sampled (one
    /// generator call per 8 characters instead of one per character: ids are made on every write and log line).
    public static func random(_ length: Int, alphabet: [Character] = lowerAlphanumeric) -> String {
        let n = alphabet.count
        guard length > 0, n > 0, n <= 256 else { return "" }
        let limit = 256 - 256 % n  // bytes at or above it would favour the first characters
        var g = SystemRandomNumberGenerator()
        var out = ""
        out.reserveCapacity(length)
        var made = 0
        while made < length {
            var word = g.next() as UInt64
            for _ in 0..<8 where made < length {
                let byte = Int(word & 0xFF)
                word >>= 8
                guard byte < limit else { continue }
                out.append(alphabet[byte % n])
                made += 1
            }
        }
        return out
    }

    /// A new auth-record tokenKey (rotating it invalidates every token of the record).
    public static func tokenKey() -> String { random(50, alphabet: alphanumeric + ["_"]) }

    /// A new record id: 15 chars of `[a-z0-9]`.
    public static func recordID() -> String { random(15) }

    /// IEEE CRC32, as Go's `crc32.ChecksumIEEE`.
    public static func crc32(_ text: String) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in text.utf8 {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    /// Collection id: `pbc_` + CRC32(type + name).
    public static func collectionID(type: String, name: String) -> String { "pbc_\(crc32(type + name))" }

    /// Field id: type + CRC32(name).
    public static func fieldID(type: String, name: String) -> String { "\(type)\(crc32(name))" }

    /// Expands the simple regex forms PocketBase uses for autogenerate patterns:
    /// literals followed by character classes with `{n}` repetition, e.g. `users[0-9]{6}`, `[a-zA-Z0-9_]{50}`.
    public static func generate(pattern: String) -> String {
        var out = ""
        var chars = Array(pattern)
        var i = 0
        if chars.first == "^" { chars.removeFirst() }
        if chars.last == "$" { chars.removeLast() }
        while i < chars.count {
            var set: [Character] = []
            if chars[i] == "[" {
                var j = i + 1
                while j < chars.count, chars[j] != "]" {
                    if j + 2 < chars.count, chars[j + 1] == "-", chars[j + 2] != "]" {
                        let lo = chars[j].unicodeScalars.first?.value ?? 0, hi = chars[j + 2].unicodeScalars.first?.value ?? 0
                        // Surrogates are no scalars; huge ranges are capped (the pattern comes from a request).
                        if lo <= hi { for v in lo...min(hi, lo + 0xFFFF) { if let u = UnicodeScalar(v) { set.append(Character(u)) } } }
                        j += 3
                    } else {
                        if chars[j] == "\\", j + 1 < chars.count { j += 1 }
                        set.append(chars[j])
                        j += 1
                    }
                }
                i = j + 1
            } else {
                if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                set = [chars[i]]
                i += 1
            }
            var count = 1
            if i < chars.count, chars[i] == "{", let close = chars[i...].firstIndex(of: "}") {
                let spec = String(chars[(i + 1)..<close]).split(separator: ",")
                // Go's regexp refuses repeat counts above 1000.
                count = min(max(Int(spec.last ?? "1") ?? 1, 0), 1000)
                i = close + 1
            }
            out += random(count, alphabet: set.isEmpty ? lowerAlphanumeric : set)
        }
        return out
    }
}
