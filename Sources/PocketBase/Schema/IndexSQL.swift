import Foundation

/// Reading PocketBase index definitions (`CREATE [UNIQUE] INDEX … ON table (col, …)`), without a database.
enum IndexSQL {
    /// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON …` → name.
    static func name(_ sql: String) -> String? {
        let tokens = sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        guard let i = tokens.firstIndex(where: { $0.uppercased() == "INDEX" }) else { return nil }
        var j = i + 1
        if j + 2 < tokens.count, tokens[j].uppercased() == "IF" { j += 3 }
        guard j < tokens.count else { return nil }
        return tokens[j].trimmingCharacters(in: CharacterSet(charactersIn: "`\"[]'"))
    }

    /// Parsed unique indexes: (index name, column names) — used to map constraint failures to fields.
    static func uniqueColumns(_ indexes: [String]) -> [[String]] {
        indexes.compactMap { sql in
            guard sql.uppercased().contains("UNIQUE"), let open = sql.firstIndex(of: "("),
                let close = sql[open...].firstIndex(of: ")")
            else { return nil }
            return sql[sql.index(after: open)..<close].split(separator: ",").compactMap { part in
                part.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").first.map {
                    $0.trimmingCharacters(in: CharacterSet(charactersIn: "`\"[]"))
                }
            }
        }
    }
}
