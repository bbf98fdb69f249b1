import Foundation

/// PocketBase's datetime text: `2006-01-02 15:04:05.000Z` (UTC, milliseconds, space, literal Z).
public enum PBDate {
    public static func format(_ date: Date) -> String {
        // Clamped: a date computed from client input (a huge `logs.maxDays`, an OTP duration) must not trap the
        // Int64 conversion; ±9.2e18 ms is beyond any representable calendar date anyway.
        let ms = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard ms.isFinite else { return formatMillis(ms < 0 ? -9_200_000_000_000_000_000 : 9_200_000_000_000_000_000) }
        return formatMillis(Int64(min(max(ms, -9.2e18), 9.2e18)))
    }

    /// `format` for milliseconds since 1970, written digit by digit (bulk fixture loads format millions of dates;
    /// `String(format:)` was most of their time).
    public static func formatMillis(_ ms: Int64) -> String {
        var secs = ms / 1000
        var millis = ms % 1000
        if millis < 0 { millis += 1000; secs -= 1 }
        let days = Int(floorDiv(secs, 86400))
        let rem = Int(secs - Int64(days) * 86400)
        let (y, m, d) = civil(fromDays: days)
        guard (0...9999).contains(y) else {
            return String(format: "%04d-%02d-%02d %02d:%02d:%02d.%03dZ", y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60, Int(millis))
        }
        return String(unsafeUninitializedCapacity: 24) { b in
            func put(_ value: Int, _ at: Int, _ width: Int) {
                var v = value
                for i in stride(from: at + width - 1, through: at, by: -1) {
                    b[i] = UInt8(48 + v % 10)
                    v /= 10
                }
            }
            put(y, 0, 4); b[4] = 45; put(m, 5, 2); b[7] = 45; put(d, 8, 2); b[10] = 32
            put(rem / 3600, 11, 2); b[13] = 58; put((rem % 3600) / 60, 14, 2); b[16] = 58; put(rem % 60, 17, 2)
            b[19] = 46; put(Int(millis), 20, 3); b[23] = 90
            return 24
        }
    }

    public static func now() -> String { format(Date()) }

    /// Parses the exact layout first, then the common permissive forms (date only, RFC 3339 with offset,
    /// `T` separator). Returns nil for anything else — the caller stores the zero date ("").
    public static func parse(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard s.count >= 10 else { return nil }
        let chars = Array(s.utf8)
        func num(_ a: Int, _ n: Int) -> Int? {
            guard a + n <= chars.count else { return nil }
            var v = 0
            for c in chars[a..<a + n] {
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = num(0, 4), chars[4] == 45, let mo = num(5, 2), chars[7] == 45, let d = num(8, 2),
            (1...12).contains(mo), (1...31).contains(d)
        else { return nil }
        var h = 0, mi = 0, sec = 0
        var frac = 0.0
        var offset = 0
        var i = 10
        if i < chars.count {
            guard chars[i] == 32 || chars[i] == 84, let hh = num(i + 1, 2), chars.count > i + 3, chars[i + 3] == 58,
                let mm = num(i + 4, 2)
            else { return nil }
            h = hh
            mi = mm
            i += 6
            if i < chars.count, chars[i] == 58 {
                guard let ss = num(i + 1, 2) else { return nil }
                sec = ss
                i += 3
            }
            if i < chars.count, chars[i] == 46 {
                var j = i + 1
                var digits = ""
                while j < chars.count, chars[j] >= 48, chars[j] <= 57 { digits.append(Character(UnicodeScalar(chars[j]))); j += 1 }
                guard !digits.isEmpty else { return nil }
                frac = Double("0." + digits) ?? 0
                i = j
            }
            if i < chars.count, chars[i] == 32 { i += 1 }
            if i < chars.count {
                if chars[i] == 90 && i == chars.count - 1 {
                    i += 1
                } else if chars[i] == 43 || chars[i] == 45 {
                    let sign = chars[i] == 43 ? 1 : -1
                    guard let oh = num(i + 1, 2) else { return nil }
                    var om = 0
                    var j = i + 3
                    if j < chars.count, chars[j] == 58 { j += 1 }
                    if let m2 = num(j, 2) { om = m2; j += 2 }
                    guard j == chars.count else { return nil }
                    offset = sign * (oh * 3600 + om * 60)
                    i = j
                } else {
                    return nil
                }
            }
            guard i == chars.count, h < 24, mi < 60, sec < 61 else { return nil }
        }
        let days = daysFromCivil(y, mo, d)
        let t = Double(days) * 86400 + Double(h * 3600 + mi * 60 + sec) + frac - Double(offset)
        return Date(timeIntervalSince1970: t)
    }

    /// Normalises any accepted input to the stored text, or "" when it isn't a date.
    public static func normalize(_ text: String) -> String {
        if text.isEmpty { return "" }
        return parse(text).map(format) ?? ""
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
