import Foundation

/// PocketBase 0.23's field types (the `type` of a field's JSON, which is kept raw for round-tripping).
public enum FieldType: String, Sendable, CaseIterable {
    case text, number, bool, email, url, editor, date, autodate, select, relation, file, json, password

    /// select, relation and file hold a list when their `maxSelect` is above 1.
    public var canHoldMany: Bool { self == .select || self == .relation || self == .file }
}

/// The kinds of collection.
public enum CollectionType: String, Sendable {
    case base, auth, view
}
