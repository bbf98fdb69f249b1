import Foundation
import HTTPTypes
import Hummingbird
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PocketBase's `RemoteIP()` / `RealIP()`: the socket address, or the address a trusted proxy header names.
public enum ClientIP {
    /// The connection's address (Go's netip `StringExpanded`); in-process requests (no socket) count as loopback.
    public static func remote(_ context: AppRequestContext) -> String {
        guard let ip = context.remoteAddress?.ipAddress else { return "127.0.0.1" }
        return expanded(ip) ?? ip
    }

    /// The last value of the first trusted-proxy header present (the one the proxy controls), read from the right
    /// unless `useLeftmostIP`; the remote address when none gives a valid IP.
    public static func real(_ request: Request, context: AppRequestContext, settings: JSONObject) -> String {
        let proxy = settings["trustedProxy"]?.objectValue
        let headers = proxy?["headers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let leftmost = proxy?["useLeftmostIP"]?.boolValue ?? false
        for name in headers {
            guard let field = HTTPField.Name(name), let last = request.headers[values: field].last, !last.isEmpty else { continue }
            let ips = last.split(separator: ",", omittingEmptySubsequences: false)
            for candidate in leftmost ? Array(ips) : ips.reversed() {
                if let ip = expanded(candidate.trimmingCharacters(in: .whitespaces)) { return ip }
            }
        }
        return remote(context)
    }

    /// Parses an IPv4 or IPv6 address; IPv6 comes back in Go's expanded form (8 groups of 4 hex digits).
    public static func expanded(_ text: String) -> String? {
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        var v4 = in_addr()
        if !text.utf8.contains(UInt8(ascii: ":")) {
            guard inet_pton(AF_INET, text, &v4) == 1 else { return nil }
            return text
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        return stride(from: 0, to: 16, by: 2).map { String(format: "%02x%02x", bytes[$0], bytes[$0 + 1]) }.joined(separator: ":")
    }
}
