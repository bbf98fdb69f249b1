import Foundation

/// The govalidator checks behind ozzo's `is.URL`, `is.Host` and `is.EmailFormat` (govalidator a9d515a, the version
/// PocketBase 0.23.12 pins), including the parts of Go's `url.Parse` that IsURL relies on.
enum GoValidator {
    /// govalidator `IsURL`: a length gate, Go's `url.Parse` (with `http://` prepended when there is a colon but no
    /// `://`, so `localhost:8090` parses), then its URL pattern on the original text.
    static func isURL(_ s: String) -> Bool {
        let runes = s.unicodeScalars.count
        guard !s.isEmpty, runes < 2083, s.utf8.count > 3, !s.hasPrefix(".") else { return false }
        let parsed = s.contains(":") && !s.contains("://") ? "http://" + s : s
        guard let url = GoURL.parse(parsed), !url.host.hasPrefix(".") else { return false }
        if url.host.isEmpty && !url.path.isEmpty && !url.path.contains(".") { return false }
        guard hostCharactersFit(s), let pattern = urlPattern else { return false }
        // Bounded: past ICU's step limit the value is not a URL (the pattern is linear enough that none gets there).
        return pattern.firstMatch(in: s) == .match
    }

    /// A necessary condition of `rxURL`, checked first because ICU backtracks polynomially on long hosts the pattern
    /// rejects late: without a userinfo `@`, the text after an optional scheme up to the first `:/?#` is the host,
    /// which the pattern builds from ASCII letters, digits, `._-` and U+00A1…U+FFFF only (or a bracketed IPv6).
    /// Deliberate deviation: hosts over 255 characters (DNS allows 253) are refused, which bounds the matching time;
    /// Go would judge them by the pattern.
    static func hostCharactersFit(_ s: String) -> Bool {
        guard !s.contains("@") else { return true }
        var rest = Substring(s)
        for scheme in ["ftp://", "tcp://", "udp://", "ws://", "wss://", "http://", "https://"] where rest.hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            break
        }
        let host = rest.unicodeScalars.prefix { !":/?#".unicodeScalars.contains($0) }
        if host.first == "[" { return true }
        return host.count <= 255 && host.allSatisfy { c in
            (c.isASCII && (GoValidator.isWordByte(UInt8(c.value)) || c == "." || c == "-")) || (c.value >= 0xA1 && c.value <= 0xFFFF)
        }
    }

    /// govalidator `IsIP || IsDNSName` (ozzo `is.Host`).
    static func isHost(_ s: String) -> Bool {
        isIP(s) || isDNSName(s)
    }

    /// Go's `net.ParseIP` (dotted IPv4 without leading zeros, or IPv6 without a zone).
    static func isIP(_ s: String) -> Bool {
        ClientIP.expanded(s) != nil
    }

    /// govalidator `IsDNSName`: labels of `[A-Za-z0-9_][A-Za-z0-9_-]{0,62}` joined by dots, an optional final `.` or
    /// `_`, at most 255 characters without the dots.
    static func isDNSName(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count(where: { $0 != UInt8(ascii: ".") }) <= 255, !isIP(s) else { return false }
        let bytes = Array(s.utf8)[...]
        // The pattern's optional final `[\._]`: a trailing `_` may also end the last label, so try both readings.
        guard let last = bytes.last, last == UInt8(ascii: ".") || last == UInt8(ascii: "_") else { return dnsLabels(bytes) }
        return dnsLabels(bytes) || dnsLabels(bytes.dropLast())
    }

    static func dnsLabels(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, label.count <= 63, isWordByte(first) else { return false }
            return label.allSatisfy { isWordByte($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// govalidator `IsEmail` (ozzo `is.EmailFormat`).
    static func isEmail(_ s: String) -> Bool {
        RecordValidator.isEmail(s)
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x5f
    }

    /// govalidator's `rxURL`. One deliberate rewrite: its host label `(([X]+-?-?)*[X]+)` nests quantifiers, which
    /// backtracks exponentially in ICU (Go's RE2 is linear); `[X]++(?:--?[X]++)*+` accepts the same strings (no
    /// character after the label can be `X` or `-`, so possessive matching gives nothing up).
    static let urlPattern: BoundedRegex? = {
        let ip =
            #"(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))"#
        let schema = #"((ftp|tcp|udp|wss?|https?):\/\/)"#
        let username = #"(\S+(:\S*)?@)"#
        let path = #"((\/|\?|#)[^\s]*)"#
        let port = #"(:(\d{1,5}))"#
        let urlIP = #"([1-9]\d?|1\d\d|2[01]\d|22[0-3]|24\d|25[0-5])(\.(\d{1,2}|1\d\d|2[0-4]\d|25[0-5])){2}(?:\.([0-9]\d?|1\d\d|2[0-4]\d|25[0-5]))"#
        let subdomain = #"((www\.)|([a-zA-Z0-9]+([-_\.]?[a-zA-Z0-9])*[a-zA-Z0-9]\.[a-zA-Z0-9]+))"#
        let label = #"([a-zA-Z\x{00a1}-\x{ffff}0-9]++(?:--?[a-zA-Z\x{00a1}-\x{ffff}0-9]++)*+)"#
        let url =
            "^" + schema + "?" + username + "?" + "((" + urlIP + #"|(\["# + ip + #"\])|(([a-zA-Z0-9]([a-zA-Z0-9-_]+)?[a-zA-Z0-9]([-\.][a-zA-Z0-9]+)*)|("#
            + subdomain + "?))?" + label + #"(?:\.([a-zA-Z\x{00a1}-\x{ffff}]{1,}))?))\.?"# + port + "?" + path + "?$"
        return BoundedRegex(GoRegex.translate(url))
    }()
}

/// The host and path Go's `url.Parse` produces, or nil where it fails (control characters, a colon before the first
/// slash of a scheme-less URL, bad percent escapes, characters not allowed in a host, a non-numeric port, bad
/// userinfo).
struct GoURL {
    var host = ""
    var path = ""

    static func parse(_ raw: String) -> GoURL? {
        let bytes = Array(raw.utf8)
        guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x7f }) else { return nil }
        var rest = bytes[...]
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) {
            guard validEscapes(rest[(hash + 1)...], host: false) else { return nil }
            rest = rest[..<hash]
        }
        guard let (scheme, afterScheme) = scheme(rest) else { return nil }
        rest = afterScheme
        if let q = rest.firstIndex(of: UInt8(ascii: "?")) { rest = rest[..<q] }
        let slash = UInt8(ascii: "/")
        var url = GoURL()
        if rest.first != slash {
            // An opaque URL (`scheme:rest`) has neither host nor path.
            if !scheme.isEmpty { return url }
            let segment = rest.prefix { $0 != slash }
            if segment.contains(UInt8(ascii: ":")) { return nil }
        }
        let startsWithTwo = rest.starts(with: [slash, slash])
        if (!scheme.isEmpty || !rest.starts(with: [slash, slash, slash])) && startsWithTwo {
            let authority = rest.dropFirst(2).prefix { $0 != slash }
            rest = rest.dropFirst(2 + authority.count)
            guard let host = parseAuthority(authority) else { return nil }
            url.host = host
        }
        guard validEscapes(rest, host: false) else { return nil }
        url.path = String(decoding: rest, as: UTF8.self)
        return url
    }

    /// Go's getScheme: nil for "missing protocol scheme" (a leading colon).
    static func scheme(_ s: ArraySlice<UInt8>) -> (String, ArraySlice<UInt8>)? {
        for (offset, c) in s.enumerated() {
            let i = s.startIndex + offset
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if offset == 0 { return ("", s) }
            case UInt8(ascii: ":"):
                if offset == 0 { return nil }
                return (String(decoding: s[..<i], as: UTF8.self), s[(i + 1)...])
            default:
                return ("", s)
            }
        }
        return ("", s)
    }

    static func parseAuthority(_ authority: ArraySlice<UInt8>) -> String? {
        guard let at = authority.lastIndex(of: UInt8(ascii: "@")) else { return parseHost(authority) }
        guard let host = parseHost(authority[(at + 1)...]) else { return nil }
        let userinfo = authority[..<at]
        let allowed = Set("-._:~!$&'()*+,;=%@".utf8)
        guard userinfo.allSatisfy({ GoValidator.isWordByte($0) || allowed.contains($0) }) else { return nil }
        return validEscapes(userinfo, host: false) ? host : nil
    }

    static func parseHost(_ host: ArraySlice<UInt8>) -> String? {
        if host.first == UInt8(ascii: "[") {
            guard let close = host.lastIndex(of: UInt8(ascii: "]")), validPort(host[(close + 1)...]) else { return nil }
        } else if let colon = host.lastIndex(of: UInt8(ascii: ":")), !validPort(host[colon...]) {
            return nil
        }
        guard validEscapes(host, host: true) else { return nil }
        return String(decoding: host, as: UTF8.self)
    }

    /// `""` or `:` followed by digits only (no range check: `:99999` parses).
    static func validPort(_ s: ArraySlice<UInt8>) -> Bool {
        guard let first = s.first else { return true }
        return first == UInt8(ascii: ":") && s.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Go's `unescape` failures: `%` not followed by two hex digits; in a host also `%XX` below `%80` other than
    /// `%25`, and ASCII characters a host may not contain.
    static func validEscapes(_ s: ArraySlice<UInt8>, host: Bool) -> Bool {
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < s.endIndex, let hi = hex(s[i + 1]), hex(s[i + 2]) != nil else { return false }
                if host && hi < 8 && !(s[i + 1] == UInt8(ascii: "2") && s[i + 2] == UInt8(ascii: "5")) { return false }
                i += 3
                continue
            }
            if host && c < 0x80 && !hostAllowed.contains(c) && !GoValidator.isWordByte(c) { return false }
            i += 1
        }
        return true
    }

    static let hostAllowed = Set("!$&'()*+,;=:[]<>\"-.~".utf8)

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
