import NIOConcurrencyHelpers

/// A locked dictionary that starts over when full: for values that are cheap to remake but worth keeping between
/// requests (verified tokens, JWT key collections, compiled field patterns), keyed by what clients can vary without
/// end, so it must not grow with them.
public final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = NIOLockedValueBox<[Key: Value]>([:])
    public let capacity: Int

    public init(capacity: Int) { self.capacity = capacity }

    public subscript(key: Key) -> Value? {
        get { entries.withLockedValue { $0[key] } }
        set {
            entries.withLockedValue { e in
                if e.count >= capacity { e.removeAll(keepingCapacity: true) }
                e[key] = newValue
            }
        }
    }

    /// The kept value, or `make()`'s, kept (made outside the lock: two racing misses both make one).
    public func value(_ key: Key, orMake make: () -> Value) -> Value {
        if let known = self[key] { return known }
        let made = make()
        self[key] = made
        return made
    }
}
