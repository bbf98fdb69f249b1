import Foundation

extension Record {
    /// core/field_json.go `PrepareValue` on text read from a json column: kept when it starts like JSON (a digit,
    /// `-`, `"`, `[` or `{`) and is valid, `null`/`true`/`false` as themselves, anything else a string. `marshalable`
    /// is false where Go's `strconv.Quote` of the text is not JSON: PocketBase then fails to encode the response after
    /// writing its 200 and the body stays empty.
    static func preparedJSONText(_ bytes: Data) -> (value: JSONValue, marshalable: Bool) {
        guard let s = String(bytes: bytes, encoding: .utf8) else {
            return (.string(String(decoding: bytes, as: UTF8.self)), false)  // Quote writes `\xff`
        }
        switch s {
        case "": return (.string(""), true)
        case "null": return (.null, true)
        case "true": return (.bool(true), true)
        case "false": return (.bool(false), true)
        default: break
        }
        if let first = s.utf8.first, (0x30...0x39).contains(first) || first == 0x2D || first == 0x22 || first == 0x5B || first == 0x7B,
           let v = try? JSONValue.parseStrict(s) {
            return (v, true)
        }
        return (.string(s), goQuoteIsJSON(s))
    }

    /// Whether Go's `strconv.Quote(s)` is valid JSON: it is not when it writes `\a`, `\v`, `\xHH` (other control
    /// bytes, DEL) or `\UHHHHHHHH` (a non-printable scalar above U+FFFF).
    static func goQuoteIsJSON(_ s: String) -> Bool {
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x08, 0x09, 0x0A, 0x0C, 0x0D: continue
            case 0..<0x20, 0x7F: return false
            case 0x10000...:
                switch scalar.properties.generalCategory {
                case .control, .format, .privateUse, .surrogate, .unassigned, .spaceSeparator, .lineSeparator, .paragraphSeparator:
                    return false
                default: continue
                }
            default: continue
            }
        }
        return true
    }
}
