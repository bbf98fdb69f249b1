// The toolchain's own ICU (what NSRegularExpression runs on, with its symbols renamed `swift_*`): its C API has the
// match time limit NSRegularExpression does not expose.
import _FoundationICU

/// A regular expression whose matching is bounded. PocketBase matches field patterns with Go's RE2, which is linear
/// in the input; ICU backtracks, so a pattern such as `^(a+)+$` against "aaaa…!" would run for minutes and hold a
/// thread. ICU counts its work in steps (deterministic, not wall-clock time) and stops at the limit with
/// `U_REGEX_TIME_OUT`; the caller decides what a timeout means (a field value then counts as not matching).
/// Compiled once; each match works on a clone (ICU's way to match one pattern from several threads).
public final class BoundedRegex: @unchecked Sendable {
    /// What one match attempt found.
    public enum Outcome: Sendable, Equatable {
        case match, noMatch, timedOut
    }

    /// 500 steps are about 0.1 s of backtracking; `^[a-z]+$` over a 1 MB value takes under 10. (ICU's default
    /// 8 MB backtracking stack limit stays: hitting it is also `.timedOut`.)
    public static let defaultStepLimit: Int32 = 500

    // Immutable after init; ICU documents clone as safe to call concurrently on one compiled pattern.
    private let compiled: OpaquePointer
    public let pattern: String
    public let stepLimit: Int32

    /// nil when ICU cannot compile `pattern` (NSRegularExpression's flags: none).
    public init?(_ pattern: String, stepLimit: Int32 = BoundedRegex.defaultStepLimit) {
        var status = U_ZERO_ERROR
        let units = Array(pattern.utf16)
        guard units.count < Int32.max, let re = swift_uregex_open(units, Int32(units.count), 0, nil, &status) else { return nil }
        guard status.rawValue <= U_ZERO_ERROR.rawValue else {
            swift_uregex_close(re)
            return nil
        }
        compiled = re
        self.pattern = pattern
        self.stepLimit = stepLimit
    }

    deinit { swift_uregex_close(compiled) }

    /// Whether the pattern matches anywhere in `text` (NSRegularExpression's `firstMatch != nil`).
    public func firstMatch(in text: String) -> Outcome {
        // ICU refuses a NULL text, which is what an empty array's buffer gives: keep one unit, pass length 0.
        let units = text.isEmpty ? [0] : Array(text.utf16)
        let length = text.isEmpty ? 0 : units.count
        guard length < Int32.max else { return .timedOut }
        var status = U_ZERO_ERROR
        guard let re = swift_uregex_clone(compiled, &status) else { return .timedOut }
        defer { swift_uregex_close(re) }
        guard status.rawValue <= U_ZERO_ERROR.rawValue else { return .timedOut }
        swift_uregex_setTimeLimit(re, stepLimit, &status)
        return units.withUnsafeBufferPointer { buffer in
            swift_uregex_setText(re, buffer.baseAddress, Int32(length), &status)
            let found = swift_uregex_find(re, 0, &status)
            // Any failure here (time limit, stack limit) is the same for the caller: no answer within bounds.
            guard status.rawValue <= U_ZERO_ERROR.rawValue else { return .timedOut }
            return found != 0 ? .match : .noMatch
        }
    }
}
