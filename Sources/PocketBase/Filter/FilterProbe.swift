import Foundation

/// The filter engine alone, for fuzzers: parses arbitrary text and resolves it against a schema as a guest, a user
/// and a superuser, checking that every placeholder is bound. Pure: no database is touched.
public struct FilterProbe: Sendable {
    public let schema: [CollectionModel]
    /// The collections filters are resolved on, and the auth collection of the probing user.
    public let targets: [String]
    public let authCollection: String

    /// `appSchema` in PocketBase's import format, on top of the system collections.
    public init(appSchema: [JSONValue], targets: [String], authCollection: String) {
        self.schema = Self.decode(appSchema)
        self.targets = targets
        self.authCollection = authCollection
    }

    static func decode(_ appSchema: [JSONValue]) -> [CollectionModel] {
        let now = "2024-01-01 00:00:00.000Z"
        var out: [CollectionModel] = []
        let system = ((try? BundledData.system())?["collections"]?.arrayValue ?? [])
        for json in system + appSchema {
            if let c = try? CollectionDecoder.decode(json, existing: nil, now: now, lookup: { key in out.first { $0.id == key || $0.name == key } }) {
                out.removeAll { $0.id == c.id }
                out.append(c)
            }
        }
        return out
    }

    func lookup(_ key: String) -> CollectionModel? {
        schema.first { $0.id == key } ?? schema.first { $0.name.lowercased() == key.lowercased() }
    }

    /// `:name` tokens outside quoted SQL strings.
    static func placeholders(_ sql: String) -> [String] {
        var out: [String] = []
        var inQuote: Character? = nil
        var chars = Array(sql)[...]
        while let c = chars.popFirst() {
            if let q = inQuote { if c == q { inQuote = nil }; continue }
            if c == "'" || c == "`" { inQuote = c; continue }
            if c == ":" {
                let name = chars.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                if !name.isEmpty { out.append(String(name)) }
                chars = chars.dropFirst(name.count)
            }
        }
        return out
    }

    /// Returns the number of successfully built expressions (so the optimiser keeps the work).
    @discardableResult
    public func run(_ text: String) -> Int {
        guard text.count <= 3500, let groups = try? FilterParser.parse(text), let users = lookup(authCollection) else { return 0 }
        var built = 0
        var user = Record(collection: users)
        user["id"] = "u123456789abcde"
        for name in targets {
            guard let c = lookup(name) else { continue }
            for (auth, hidden) in [(nil, false), (user, false), (user, true)] as [(Record?, Bool)] {
                let request = RequestInfo(method: "GET", query: ["q": "1"], headers: ["x_turnstile_token": "t"], body: JSONObject([("user", "x")]), auth: auth)
                let resolver = RecordFieldResolver(base: c, lookup: lookup, request: request, allowHiddenFields: hidden)
                if let sql = try? FilterSQLBuilder.build(groups, resolver: resolver) {
                    // Every placeholder in the SQL is bound (values travel as parameters, never as SQL text).
                    // Unused parameters are fine: PocketBase keeps them too, e.g. `'' IS NOT ''` for an empty literal.
                    let placeholders = Set(Self.placeholders(sql.sql))
                    precondition(placeholders.isSubset(of: Set(sql.params.keys)), "unbound placeholder in \(sql.sql)")
                    built += 1
                }
            }
        }
        return built
    }
}
