import Foundation
import HummingbirdCore

/// Query parameters decoded like Go's `url.ParseQuery` (`+` is a space; a pair with a bad escape or a `;` is dropped).
public struct QueryParameters: Sendable {
    public var pairs: [(String, String)] = []

    public init(_ raw: String?) {
        guard let raw, !raw.isEmpty else { return }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            if part.utf8.contains(UInt8(ascii: ";")) { continue }
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let k = Self.unescape(kv[0]), let v = Self.unescape(kv.count > 1 ? kv[1] : "") else { continue }
            pairs.append((k, v))
        }
    }

    static func unescape(_ s: Substring) -> String? {
        let utf8 = s.utf8
        if !utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) { return String(s) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var it = utf8[...]
        while let c = it.popFirst() {
            if c == UInt8(ascii: "+") { bytes.append(0x20) } else if c == UInt8(ascii: "%") {
                guard let hi = it.popFirst().flatMap(GoURL.hex), let lo = it.popFirst().flatMap(GoURL.hex) else { return nil }
                bytes.append(hi << 4 | lo)
            } else {
                bytes.append(c)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// First value of a key (Go's `Get`).
    public subscript(_ key: String) -> String? { pairs.first { $0.0 == key }?.1 }
}

extension URI {
    public var queryParams: QueryParameters { QueryParameters(query) }
}
