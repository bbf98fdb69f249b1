import Foundation
import HummingbirdCore

/// Query parameters decoded like Go's `url.ParseQuery` (`+` is a space; a pair with a bad escape or a `;` is dropped).
public struct QueryParameters: Sendable {
    public var pairs: [(String, String)] = []

    public init(_ raw: String?) {
        guard let raw, !raw.isEmpty else { return }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            if part.contains(";") { continue }
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let k = Self.unescape(kv[0]), let v = Self.unescape(kv.count > 1 ? kv[1] : "") else { continue }
            pairs.append((k, v))
        }
    }

    static func unescape(_ s: Substring) -> String? {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let c = it.popFirst() {
            if c == UInt8(ascii: "+") { bytes.append(0x20) } else if c == UInt8(ascii: "%") {
                guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
                it = it.dropFirst(2)
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
