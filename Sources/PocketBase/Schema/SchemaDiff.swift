import Foundation

/// Compares two schemas (collections JSON as the API or an export gives them): collections by id then name, their
/// type, rules, indexes, view query and auth options, and fields by id then name with every option. What a
/// developer checks before importing production's schema locally.
public struct SchemaDiff: Sendable {
    public struct Change: Sendable, Equatable, CustomStringConvertible {
        public var collection: String
        /// `+` only in B, `-` only in A, `~` in both and different.
        public var kind: Character
        /// e.g. `listRule`, `fields.title.max`, `indexes`, or "" for the collection itself.
        public var path: String
        public var a: JSONValue?
        public var b: JSONValue?

        public var description: String {
            let target = path.isEmpty ? collection : "\(collection).\(path)"
            switch kind {
            case "+": return "+ \(target)" + (path.isEmpty ? "" : ": \(Self.show(b))")
            case "-": return "- \(target)" + (path.isEmpty ? "" : ": \(Self.show(a))")
            default: return "~ \(target): \(Self.show(a)) → \(Self.show(b))"
            }
        }

        static func show(_ v: JSONValue?) -> String {
            guard let v else { return "(none)" }
            // Readable: no HTML escaping in a terminal.
            let s = v.encoded().replacingOccurrences(of: "\\u0026", with: "&").replacingOccurrences(of: "\\u003c", with: "<")
                .replacingOccurrences(of: "\\u003e", with: ">")
            return s.count > 160 ? String(s.prefix(157)) + "…" : s
        }
    }

    public let changes: [Change]
    public var isEmpty: Bool { changes.isEmpty }

    /// Keys that differ between any two instances and are not schema: timestamps, and secrets (never exported).
    static let ignoredKeys: Set<String> = ["created", "updated"]

    public init(a: [JSONValue], b: [JSONValue]) {
        let listA = a.compactMap(\.objectValue), listB = b.compactMap(\.objectValue)
        var changes: [Change] = []
        var matchedB = Set<Int>()
        for ca in listA {
            let name = ca["name"]?.stringValue ?? "?"
            let index = Self.match(ca, in: listB, excluding: matchedB)
            guard let index else {
                changes.append(Change(collection: name, kind: "-", path: "", a: nil, b: nil))
                continue
            }
            matchedB.insert(index)
            changes += Self.compare(ca, listB[index], collection: name)
        }
        for (i, cb) in listB.enumerated() where !matchedB.contains(i) {
            changes.append(Change(collection: cb["name"]?.stringValue ?? "?", kind: "+", path: "", a: nil, b: nil))
        }
        self.changes = changes
    }

    /// The same item in `list`: by id, else by name.
    static func match(_ item: JSONObject, in list: [JSONObject], excluding: Set<Int>) -> Int? {
        if let id = item["id"]?.stringValue, !id.isEmpty, let i = list.indices.first(where: { !excluding.contains($0) && list[$0]["id"]?.stringValue == id }) {
            return i
        }
        let name = item["name"]?.stringValue
        return list.indices.first { !excluding.contains($0) && list[$0]["name"]?.stringValue == name }
    }

    static func compare(_ a: JSONObject, _ b: JSONObject, collection: String) -> [Change] {
        var out: [Change] = []
        let keys = (a.keys + b.keys.filter { a[$0] == nil }).filter { !ignoredKeys.contains($0) && $0 != "fields" }
        for key in keys {
            out += values(a[key], b[key], collection: collection, path: key, absentKeeps: true)
        }
        let fieldsA = (a["fields"]?.arrayValue ?? []).compactMap(\.objectValue)
        let fieldsB = (b["fields"]?.arrayValue ?? []).compactMap(\.objectValue)
        var matched = Set<Int>()
        var orderB: [Int] = []
        for fa in fieldsA {
            let name = fa["name"]?.stringValue ?? "?"
            guard let j = match(fa, in: fieldsB, excluding: matched) else {
                out.append(Change(collection: collection, kind: "-", path: "fields.\(name)", a: .object(fa), b: nil))
                continue
            }
            matched.insert(j)
            orderB.append(j)
            let fb = fieldsB[j]
            for key in fa.keys + fb.keys.filter({ fa[$0] == nil }) {
                out += values(fa[key], fb[key], collection: collection, path: "fields.\(name).\(key)")
            }
        }
        for (j, fb) in fieldsB.enumerated() where !matched.contains(j) {
            out.append(Change(collection: collection, kind: "+", path: "fields.\(fb["name"]?.stringValue ?? "?")", a: nil, b: .object(fb)))
        }
        // The fields both have, in a different order (PocketBase keeps the order: it is the API's and the UI's).
        if orderB != orderB.sorted() {
            func names(_ list: [JSONObject]) -> JSONValue { .array(list.compactMap { $0["name"] }) }
            out.append(Change(collection: collection, kind: "~", path: "fields (order)", a: names(fieldsA), b: names(fieldsB)))
        }
        return out
    }

    /// Objects (auth options) are compared key by key; anything else as a whole. With `absentKeeps` (a collection's
    /// own keys and its option objects) a key B leaves out is no change: PocketBase's import unmarshals the JSON on
    /// top of the existing collection, so e.g. an admin-UI export without `oauth2.providers` keeps the providers.
    /// A field is rebuilt from its JSON, so a field option left out is compared (it resets).
    static func values(_ a: JSONValue?, _ b: JSONValue?, collection: String, path: String, absentKeeps: Bool = false) -> [Change] {
        if a == b { return [] }
        if absentKeeps, b == nil { return [] }
        if case .object(let oa)? = a, case .object(let ob)? = b {
            return (oa.keys + ob.keys.filter { oa[$0] == nil }).flatMap {
                values(oa[$0], ob[$0], collection: collection, path: path + "." + $0, absentKeeps: absentKeeps)
            }
        }
        let kind: Character = a == nil ? "+" : b == nil ? "-" : "~"
        return [Change(collection: collection, kind: kind, path: path, a: a, b: b)]
    }

    /// The export format of the admin UI: every collection without `created`/`updated` (secrets are never in the
    /// API JSON).
    public static func export(_ collections: [CollectionModel]) -> [JSONValue] {
        collections.map { .object($0.exportJSON()) }
    }
}
