import Foundation

/// The 0.23 datetime macros (UTC). `@yesterday`/`@tomorrow` only arrive in 0.24.
enum FilterMacros {
    static func value(_ name: String, now: Date = Date()) -> SQLValue? {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: now)
        func date(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0, _ ns: Int = 0) -> SQLValue {
            .text(PBDate.format(cal.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: mi, second: s, nanosecond: ns))!))
        }
        let y = c.year!, m = c.month!, d = c.day!
        switch name {
        case "@now": return .text(PBDate.format(now))
        case "@second": return .integer(Int64(c.second!))
        case "@minute": return .integer(Int64(c.minute!))
        case "@hour": return .integer(Int64(c.hour!))
        case "@day": return .integer(Int64(d))
        case "@month": return .integer(Int64(m))
        case "@weekday": return .integer(Int64(c.weekday! - 1))
        case "@year": return .integer(Int64(y))
        case "@todayStart": return date(y, m, d)
        case "@todayEnd": return date(y, m, d, 23, 59, 59, 999_999_999)
        case "@monthStart": return date(y, m, 1)
        case "@monthEnd":
            let days = cal.range(of: .day, in: .month, for: now)!.count
            return date(y, m, days, 23, 59, 59, 999_999_999)
        case "@yearStart": return date(y, 1, 1)
        case "@yearEnd": return date(y, 12, 31, 23, 59, 59, 999_999_999)
        default: return nil
        }
    }
}
