/// Go's `strconv.Quote` / `%q` for the texts PocketBase puts in error messages (filter identifiers, cron fields):
/// double quotes, backslash escapes for quotes, backslashes and control characters. Non-ASCII printable text stays
/// as it is, as Go keeps printable runes.
public func goQuote(_ s: some StringProtocol) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "\u{07}": out += "\\a"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\u{0B}": out += "\\v"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7f {
                out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
            } else if (0x80..<0xa0).contains(scalar.value) || scalar.value == 0xfeff {
                out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// Go's `strconv.QuoteRune` / `%q` of a rune: single quotes, `\'` for a quote, the same escapes as `goQuote`.
public func goQuoteRune(_ c: Unicode.Scalar) -> String {
    switch c {
    case "'": return "'\\''"
    case "\"": return "'\"'"
    default:
        let inner = goQuote(String(c)).dropFirst().dropLast()
        return "'" + inner + "'"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
