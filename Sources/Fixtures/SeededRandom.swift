/// SplitMix64: tiny, fast, and the same sequence on every platform for a seed (Swift's own generators are not
/// seedable), which is what makes fixtures byte-for-byte reproducible.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<n` (n > 0).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// Uniform in `[0, 1)`.
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// One of `choices`, weighted.
    public mutating func weighted<T>(_ choices: [(T, Int)]) -> T { WeightedTable(choices).pick(&self) }

    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// `length` characters of `[a-z0-9]` (PocketBase's id alphabet).
    public mutating func id(_ length: Int = 15) -> String {
        String(unsafeUninitializedCapacity: length) { buffer in
            for i in 0..<length { buffer[i] = Self.alphabet[below(36)] }
            return length
        }
    }
}

/// Weighted choices with their running totals computed once (the click generator picks millions of times).
struct WeightedTable<T> {
    let values: [T]
    let bounds: [Int]

    init(_ choices: [(T, Int)]) {
        values = choices.map(\.0)
        var total = 0
        bounds = choices.map { total += $0.1; return total }
    }

    func pick(_ rng: inout SeededRandom) -> T {
        let r = rng.below(bounds.last ?? 1)
        return values[bounds.firstIndex { r < $0 } ?? values.count - 1]
    }
}

extension WeightedTable: Sendable where T: Sendable {}
