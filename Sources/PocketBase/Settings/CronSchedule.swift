import Foundation

/// A parsed cron expression, as PocketBase's `tools/cron` reads it: a macro or exactly five single-space-separated
/// segments (minute, hour, day of month, month, day of week), each a list of `*`, `n`, `a-b`, `*/n` or `a-b/n`.
/// The backups scheduler asks it whether a UTC minute is due.
public struct CronSchedule: Sendable, Equatable {
    public var minutes: Set<Int>
    public var hours: Set<Int>
    public var days: Set<Int>
    public var months: Set<Int>
    public var daysOfWeek: Set<Int>

    /// The parser's failure, worded exactly like Go's (the settings API sentenizes it into `validation_invalid_cron`).
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    /// Parses `expression`; throws `ParseError` with PocketBase's message.
    public static func parse(_ expression: String) throws(ParseError) -> CronSchedule {
        let expr = macros[expression] ?? expression
        // Go's strings.Split: consecutive spaces make empty segments, which then fail as numbers.
        let segments = expr.split(separator: " ", omittingEmptySubsequences: false)
        guard segments.count == 5 else {
            throw ParseError(description: "invalid cron expression - must be a valid macro or to have exactly 5 space separated segments")
        }
        return CronSchedule(
            minutes: try segment(segments[0], 0, 59), hours: try segment(segments[1], 0, 23), days: try segment(segments[2], 1, 31),
            months: try segment(segments[3], 1, 12), daysOfWeek: try segment(segments[4], 0, 6))
    }

    /// Whether the minute containing `date` (read in UTC, the scheduler's zone) is due.
    public func isDue(_ date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
        // Calendar's weekday is 1 = Sunday; Go's time.Weekday is 0 = Sunday.
        guard let minute = c.minute, let hour = c.hour, let day = c.day, let month = c.month, let weekday = c.weekday else { return false }
        return minutes.contains(minute) && hours.contains(hour) && days.contains(day) && daysOfWeek.contains(weekday - 1)
            && months.contains(month)
    }

    static func segment(_ segment: Substring, _ min: Int, _ max: Int) throws(ParseError) -> Set<Int> {
        var slots = Set<Int>()
        for part in segment.split(separator: ",", omittingEmptySubsequences: false) {
            let stepParts = part.split(separator: "/", omittingEmptySubsequences: false)
            var step = 1
            switch stepParts.count {
            case 1: break
            case 2:
                step = try atoi(stepParts[1])
                guard step >= 1 && step <= max else {
                    throw ParseError(description: "invalid segment step boundary - the step must be between 1 and the \(max)")
                }
            default:
                throw ParseError(description: "invalid segment step format - must be in the format */n or 1-30/n")
            }

            var rangeMin = min, rangeMax = max
            if stepParts[0] != "*" {
                let rangeParts = stepParts[0].split(separator: "-", omittingEmptySubsequences: false)
                switch rangeParts.count {
                case 1:
                    guard step == 1 else {
                        // "segement" is PocketBase's spelling.
                        throw ParseError(description: "invalid segement step - step > 1 could be used only with the wildcard or range format")
                    }
                    let value = try atoi(rangeParts[0])
                    guard value >= min && value <= max else {
                        throw ParseError(description: "invalid segment value - must be between the min and max of the segment")
                    }
                    rangeMin = value
                    rangeMax = value
                case 2:
                    let low = try atoi(rangeParts[0])
                    guard low >= min && low <= max else {
                        throw ParseError(description: "invalid segment range minimum - must be between \(min) and \(max)")
                    }
                    let high = try atoi(rangeParts[1])
                    guard high >= low && high <= max else {
                        throw ParseError(description: "invalid segment range maximum - must be between \(low) and \(max)")
                    }
                    rangeMin = low
                    rangeMax = high
                default:
                    throw ParseError(description: "invalid segment range format - the range must have 1 or 2 parts")
                }
            }
            // Bounds were checked above, and step ≥ 1, so this terminates within [min, max].
            slots.formUnion(stride(from: rangeMin, through: rangeMax, by: step))
        }
        return slots
    }

    /// Go's `strconv.Atoi` (optional sign, decimal digits) with its error text.
    static func atoi(_ text: Substring) throws(ParseError) -> Int {
        var digits = text[...]
        if let sign = digits.first, sign == "+" || sign == "-" { digits = digits.dropFirst() }
        let quoted = goQuote(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ParseError(description: "strconv.Atoi: parsing \(quoted): invalid syntax")
        }
        guard let value = Int(text) else { throw ParseError(description: "strconv.Atoi: parsing \(quoted): value out of range") }
        return value
    }

    static func goQuote(_ s: Substring) -> String { PocketBase.goQuote(s) }
}
