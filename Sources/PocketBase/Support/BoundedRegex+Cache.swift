import NIOConcurrencyHelpers

/// Compiled `BoundedRegex`es by pattern text, so a field pattern is compiled once rather than per value. Bounded:
/// when full it starts over (patterns come from schemas, which a superuser can generate without end).
public final class RegexCache: Sendable {
    private let entries = NIOLockedValueBox<[String: BoundedRegex?]>([:])
    let capacity: Int

    public init(capacity: Int) { self.capacity = capacity }

    /// The compiled pattern, or nil when ICU cannot compile it (remembered too).
    public func regex(_ pattern: String) -> BoundedRegex? {
        if let hit = entries.withLockedValue({ $0[pattern] }) { return hit }
        let compiled = BoundedRegex(pattern)
        entries.withLockedValue { e in
            if e.count >= capacity { e.removeAll(keepingCapacity: true) }
            e[pattern] = .some(compiled)
        }
        return compiled
    }
}
