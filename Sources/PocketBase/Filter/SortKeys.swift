import Foundation

/// PocketBase's `ParseSortFromString` with the search provider's limits (at most 8 keys of ≤ 255 characters):
/// `-a,+b,c` → `[(a, DESC), (b, ASC), (c, ASC)]`. Shared by record, collection and log lists.
enum SortKeys {
    static func parse(_ sort: String) throws -> [(name: String, direction: String)] {
        let keys = sort.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard keys.count <= 8 else { throw FilterResolveError(description: "too many sort expressions") }
        return try keys.map { key in
            guard key.count <= 255 else { throw FilterResolveError(description: "sort field too long") }
            if key.hasPrefix("-") { return (String(key.dropFirst()), "DESC") }
            return (key.hasPrefix("+") ? String(key.dropFirst()) : key, "ASC")
        }
    }
}
