import Foundation

/// The 0.23 datetime macros (UTC). `@yesterday`/`@tomorrow` only arrive in 0.24.
enum FilterMacros {
    static func value(_ name: String, now: Date = Date()) -> SQLValue? {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: now)
        /// Midnight of a day plus whole milliseconds, formatted like Go's `DateTime.String()` (which truncates
        /// 23:59:59.999999999 to `.999`). Built from integer millis: a Date carrying the nanoseconds rounds up to
        /// the next day's midnight, which made `@todayEnd` select the wrong records.
        func date(_ y: Int, _ m: Int, _ d: Int, plusMillis: Int64 = 0) -> SQLValue {
            let midnight = cal.date(from: DateComponents(year: y, month: m, day: d)) ?? now
            return .text(PBDate.formatMillis(Int64(midnight.timeIntervalSince1970) * 1000 + plusMillis))
        }
        let endOfDay: Int64 = 86_399_999
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
        case "@todayEnd": return date(y, m, d, plusMillis: endOfDay)
        case "@monthStart": return date(y, m, 1)
        case "@monthEnd":
            let days = cal.range(of: .day, in: .month, for: now)!.count
            return date(y, m, days, plusMillis: endOfDay)
        case "@yearStart": return date(y, 1, 1)
        case "@yearEnd": return date(y, 12, 31, plusMillis: endOfDay)
        default: return nil
        }
    }
}
