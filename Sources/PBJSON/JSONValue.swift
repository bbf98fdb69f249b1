import Foundation

/// A JSON value that keeps object key order, so responses can reproduce PocketBase's key order exactly
/// (Go structs keep declaration order, Go maps are sorted).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public static func obj(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(JSONObject(pairs.map { ($0.key, $0.value) }))
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var numberValue: Double? { if case .number(let n) = self { return n } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    public var isNull: Bool { self == .null }

    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}

/// Ordered JSON object with O(1) key lookup: request bodies can carry hundreds of thousands of keys, and a
/// linear search per insert made parsing them quadratic.
public struct JSONObject: Sendable, Equatable, Sequence {
    public private(set) var pairs: [(key: String, value: JSONValue)]
    /// Position of each key in `pairs`.
    private var index: [String: Int]

    public init(_ pairs: [(String, JSONValue)] = []) {
        self.pairs = []
        self.index = [:]
        self.pairs.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    public var keys: [String] { pairs.map(\.key) }
    public var isEmpty: Bool { pairs.isEmpty }
    public var count: Int { pairs.count }

    public subscript(key: String) -> JSONValue? {
        get { index[key].map { pairs[$0].value } }
        set {
            if let i = index[key] {
                if let newValue {
                    pairs[i].value = newValue
                } else {
                    // Removal is rare (never driven per key by client input); re-number the tail.
                    pairs.remove(at: i)
                    index[key] = nil
                    for j in i..<pairs.count { index[pairs[j].key] = j }
                }
            } else if let newValue {
                index[key] = pairs.count
                pairs.append((key, newValue))
            }
        }
    }

    public func contains(_ key: String) -> Bool { index[key] != nil }

    /// The same object with keys sorted like a Go map.
    public func sorted() -> JSONObject {
        JSONObject(pairs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { pairs.makeIterator() }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension Int {
    /// A JSON number as an Int without trapping: NaN → 0, out-of-range values clamp to the bounds. Client input
    /// reaches `Int(_: Double)` through options and bodies; the plain initialiser traps on 1e300.
    public init(saturating d: Double) {
        if d.isNaN {
            self = 0
        } else if d >= 9_223_372_036_854_775_808.0 {
            self = .max
        } else if d <= -9_223_372_036_854_775_808.0 {
            self = .min
        } else {
            self = Int(d)
        }
    }

    /// `self * other`, clamped instead of trapping.
    public func saturatingMultiplied(by other: Int) -> Int {
        let (r, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) != (other < 0) ? .min : .max) : r
    }

    /// `self + other`, clamped instead of trapping.
    public func saturatingAdd(_ other: Int) -> Int {
        let (r, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : r
    }
}
