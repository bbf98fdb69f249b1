import HTTPTypes

/// A request decoded from fuzzer bytes. The format is HTTP/1.1-like text, so corpus files stay readable and the
/// dictionary's tokens splice into meaningful places:
///
///     METHOD TARGET
///     Name: value
///     …
///     <blank line>
///     body bytes
///
/// Decoding never fails: whatever cannot be expressed as an HTTP request (an invalid method, header name or
/// value) falls back to something that can, so every input reaches the router. `$SU`, `$ALICE`, `$BOB` and
/// `$BADTOKEN` in the target or a header value are replaced by tokens the harness obtained at start.
public struct FuzzRequest: Sendable {
    public var method: HTTPRequest.Method
    public var target: String
    public var headers: HTTPFields
    public var body: [UInt8]

    public init(_ bytes: [UInt8], tokens: [String: String]) {
        let (head, body) = Self.split(bytes)
        self.body = body
        var lines = String(decoding: head, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)[...]
        let requestLine = lines.popFirst().map(String.init) ?? ""
        let parts = requestLine.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        method = parts.first.flatMap { HTTPRequest.Method(String($0)) } ?? .get
        var target = parts.count > 1 ? Self.substitute(String(parts[1]), tokens) : "/api/health"
        if !target.hasPrefix("/") { target = "/" + target }
        self.target = target
        headers = HTTPFields()
        for line in lines {
            guard let colon = line.firstIndex(of: ":"),
                let name = HTTPField.Name(String(line[..<colon]).trimmingCharacters(in: .whitespaces))
            else { continue }
            let value = Self.substitute(String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces), tokens)
            headers.append(HTTPField(name: name, value: value))
        }
    }

    /// Head and body split at the first blank line (`\n\n` or `\r\n\r\n`); no blank line: all head.
    static func split(_ bytes: [UInt8]) -> (head: ArraySlice<UInt8>, body: [UInt8]) {
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0A, bytes[i + 1] == 0x0A { return (bytes[..<i], Array(bytes[(i + 2)...])) }
            if bytes[i] == 0x0A, bytes[i + 1] == 0x0D, i + 2 < bytes.count, bytes[i + 2] == 0x0A {
                return (bytes[..<i], Array(bytes[(i + 3)...]))
            }
            i += 1
        }
        return (bytes[...], [])
    }

    static func substitute(_ text: String, _ tokens: [String: String]) -> String {
        guard text.contains("$") else { return text }
        var out = text
        // Longest names first, so `$SU` does not eat the start of a longer placeholder.
        for (name, token) in tokens.sorted(by: { $0.key.count > $1.key.count }) {
            out = out.replacingOccurrences(of: name, with: token)
        }
        return out
    }
}
