import Foundation

extension SQLFragment {
    /// The statement and its arguments as one string: equal keys run the same query on the same values.
    var cacheKey: String {
        var out = sql
        for key in params.keys.sorted() {
            out += "\u{0}" + key + "="
            switch params[key] ?? .null {
            case .null: out += "n"
            case .integer(let i): out += "i\(i)"
            case .real(let d): out += "r\(d.bitPattern)"
            case .text(let s): out += "t" + s
            }
        }
        return out
    }
}

extension RecordQuery {
    /// Whether the result is a function of the tables' rows alone: no `@random` sort, no view whose query asks for
    /// the time or randomness (a cached result would not move with the clock). Conservative: any mention counts.
    func isDeterministic(volatileViews: [String]) -> Bool {
        guard !orderBy.contains("RANDOM()") else { return false }
        guard !volatileViews.isEmpty else { return true }
        let text = (select().sql + " " + count().sql).lowercased()
        return !volatileViews.contains { text.contains($0) }
    }

    /// The lowercased names of the views whose query is volatile.
    static func volatileViews(_ collections: [CollectionModel]) -> [String] {
        collections.filter { $0.isView && isVolatile(viewQuery: $0.viewQuery) }.map { $0.name.lowercased() }
    }

    /// SQLite's functions whose result is not a function of their arguments, the clock's keywords, and the date
    /// functions called without arguments (they mean "now"); `'now'` anywhere counts too.
    static let volatileCalls: Set<String> = ["random", "randomblob", "changes", "total_changes", "last_insert_rowid"]
    static let clockWords: Set<String> = ["now", "current_time", "current_date", "current_timestamp"]
    static let dateFunctions: Set<String> = ["date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff"]

    static func isVolatile(viewQuery: String) -> Bool {
        let chars = Array(viewQuery.lowercased().unicodeScalars)
        func isWord(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic || ("0"..."9").contains(c) }
        var i = 0
        while i < chars.count {
            guard isWord(chars[i]) else { i += 1; continue }
            var word = ""
            while i < chars.count, isWord(chars[i]) { word.unicodeScalars.append(chars[i]); i += 1 }
            if clockWords.contains(word) { return true }
            var j = i
            while j < chars.count, chars[j].properties.isWhitespace { j += 1 }
            guard j < chars.count, chars[j] == "(" else { continue }
            if volatileCalls.contains(word) { return true }
            j += 1
            while j < chars.count, chars[j].properties.isWhitespace { j += 1 }
            if dateFunctions.contains(word), j < chars.count, chars[j] == ")" { return true }
        }
        return false
    }
}
