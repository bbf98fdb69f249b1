import Foundation

/// Go's RE2 semantics on top of ICU (NSRegularExpression) for field patterns: `$` without `(?m)` is the end of
/// the text (ICU also matches before a final newline, so `^[a-z]+$` accepted "abc\n"), `.` only excludes `\n`, and
/// the Perl classes `\w \d \s` are ASCII-only (ICU's are Unicode, so `\w` accepted Cyrillic and fullwidth
/// look-alikes).
enum GoRegex {
    static func translate(_ pattern: String) -> String {
        let multiline = pattern.contains("(?m") || pattern.contains("(?sm") || pattern.contains("(?im")
        let dotAll = pattern.contains("(?s") || pattern.contains("(?is") || pattern.contains("(?ms")
        var out = ""
        var inClass = false
        var chars = pattern[...]
        while let c = chars.popFirst() {
            if c == "\\", let next = chars.popFirst() {
                let ascii: (inside: String, outside: String)? =
                    switch next {
                    case "w": ("0-9A-Za-z_", "[0-9A-Za-z_]")
                    case "W": (inClass ? nil : ("", "[^0-9A-Za-z_]"))
                    case "d": ("0-9", "[0-9]")
                    case "D": (inClass ? nil : ("", "[^0-9]"))
                    case "s": ("\\t\\n\\f\\r ", "[\\t\\n\\f\\r ]")
                    case "S": (inClass ? nil : ("", "[^\\t\\n\\f\\r ]"))
                    default: nil
                    }
                if let ascii { out += inClass ? ascii.inside : ascii.outside } else { out += "\\" + String(next) }
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                out.append(c)
                continue
            }
            switch c {
            case "[":
                inClass = true
                out.append(c)
                // A `]` right after `[` or `[^` is a literal in both engines.
                if chars.first == "^" { out.append(chars.removeFirst()) }
                if chars.first == "]" { out.append(chars.removeFirst()) }
            case "$" where !multiline:
                out += "\\z"
            case "." where !dotAll:
                // Go's `.` excludes only `\n`; ICU's excludes every line terminator (`\r`, U+2028, …).
                out += "[^\\n]"
            default:
                out.append(c)
            }
        }
        return out
    }
}
