/// govalidator's `IsEmail` (ozzo `is.EmailFormat`, what PocketBase's email fields use), with Go RE2's answer on every
/// input but linear time. The pattern (`goEmailPattern`) nests quantifiers in its domain part, which ICU backtracks
/// exponentially: `a@a.a.a.…a.!` with 20 labels took 2 s (Go is linear). So the domain and an unquoted local part
/// are checked by hand against what the pattern accepts, and only a quoted local part (rare; bounded) goes through
/// the pattern. (Its quoted form, in Go as in ICU, wants a `"` before every character.) `BoundedRegexTests`
/// compares the two with the whole pattern on generated addresses.
extension RecordValidator {
    /// The local part: unquoted atoms separated by dots, or govalidator's quoted form (with folding white space).
    static let goEmailLocal = #"((([a-zA-Z]|\d|[!#\$%&'\*\+\-\/=\?\^_`{\|}~]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])+(\.([a-zA-Z]|\d|[!#\$%&'\*\+\-\/=\?\^_`{\|}~]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])+)*)|((\x22)((((\x20|\x09)*(\x0d\x0a))?(\x20|\x09)+)?(([\x01-\x08\x0b\x0c\x0e-\x1f\x7f]|\x21|[\x23-\x5b]|[\x5d-\x7e]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])|(\([\x01-\x09\x0b\x0c\x0d-\x7f]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}]))))*(((\x20|\x09)*(\x0d\x0a))?(\x20|\x09)+)?(\x22))"#
    /// The domain: `(label.)+tld` with an optional final dot; labels may contain dots, so `(label.)+` is just one
    /// label, and the tld contains none.
    static let goEmailDomain = #"((([a-zA-Z]|\d|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])|(([a-zA-Z]|\d|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])([a-zA-Z]|\d|-|\.|_|~|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])*([a-zA-Z]|\d|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])))\.)+(([a-zA-Z]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])|(([a-zA-Z]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])([a-zA-Z]|\d|-|_|~|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])*([a-zA-Z]|[\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}])))\.?"#
    /// The whole of govalidator's `rxEmail`.
    static let goEmailPattern = "^(" + goEmailLocal + ")@" + goEmailDomain + "$"
    static let emailLocal = BoundedRegex(GoRegex.translate("^(" + goEmailLocal + ")$"))

    static func isEmail(_ s: String) -> Bool {
        // Neither the domain nor an unquoted local part contains `@`, so the last one separates them.
        let scalars = s.unicodeScalars
        guard let at = scalars.lastIndex(of: "@") else { return false }
        guard isEmailDomain(Array(scalars[scalars.index(after: at)...])) else { return false }
        let local = scalars[..<at]
        // An unquoted local part starts with an atom character, a quoted one with `"` or folding white space.
        if let first = local.first, isAtom(first) { return isDotAtom(local) }
        return emailLocal?.firstMatch(in: String(local)) == .match
    }

    /// The unquoted local part: atoms of one or more characters joined by single dots.
    static func isDotAtom(_ local: Substring.UnicodeScalarView) -> Bool {
        var previous: Unicode.Scalar = "."
        for c in local {
            if c == "." {
                guard previous != "." else { return false }
            } else if !isAtom(c) {
                return false
            }
            previous = c
        }
        return previous != "."
    }

    /// `goEmailDomain` without backtracking. With A = letter, digit or U (the pattern's non-ASCII ranges),
    /// M = A ∪ `-._~`, B = letter or U, N = A ∪ `-_~`: the domain is `A(M*A)?` `.` `B(N*B)?` and an optional `.`.
    /// The tld has no dot, so it starts after the last dot (once an optional final one is dropped).
    static func isEmailDomain(_ domain: [Unicode.Scalar]) -> Bool {
        var d = domain[...]
        if d.last == "." { d = d.dropLast() }
        guard let dot = d.lastIndex(of: ".") else { return false }
        let label = d[..<dot], tld = d[d.index(after: dot)...]
        guard let l0 = label.first, let l1 = label.last, isA(l0), isA(l1), label.dropFirst().dropLast().allSatisfy(isM) else { return false }
        guard let t0 = tld.first, let t1 = tld.last, isB(t0), isB(t1), tld.dropFirst().dropLast().allSatisfy(isN) else { return false }
        return true
    }

    private static func isU(_ c: Unicode.Scalar) -> Bool {
        (0xA0...0xD7FF).contains(c.value) || (0xF900...0xFDCF).contains(c.value) || (0xFDF0...0xFFEF).contains(c.value)
    }
    private static func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
    private static func isB(_ c: Unicode.Scalar) -> Bool { isLetter(c) || isU(c) }
    private static func isA(_ c: Unicode.Scalar) -> Bool { isB(c) || ("0"..."9").contains(c) }
    private static func isN(_ c: Unicode.Scalar) -> Bool { isA(c) || c == "-" || c == "_" || c == "~" }
    private static func isM(_ c: Unicode.Scalar) -> Bool { isN(c) || c == "." }
    /// The local part's atom characters: letters, digits, U and ``!#$%&'*+-/=?^_`{|}~``.
    private static func isAtom(_ c: Unicode.Scalar) -> Bool { isA(c) || "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(c) }
}
