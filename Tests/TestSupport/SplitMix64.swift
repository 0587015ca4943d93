/// SplitMix64: a small seeded generator, so that generated test inputs are the same on every run.
public struct SplitMix64: RandomNumberGenerator {
    /// The generator state.
    public var state: UInt64

    /// A generator that starts from `state`.
    public init(state: UInt64) { self.state = state }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One of `choices`.
    public mutating func pick<T>(_ choices: [T]) -> T { choices[Int(next() % UInt64(choices.count))] }

    /// True `percent` times in a hundred.
    public mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }

    /// Applies one to four random edits to `bytes`: a byte replaced by one of `alphabet`, a byte
    /// removed, or one of `alphabet` inserted.
    public mutating func mutate(_ bytes: inout [UInt8], from alphabet: [UInt8]) {
        for _ in 0...next() % 4 {
            let index = Int(next() % UInt64(bytes.count + 1))
            switch next() % 3 {
            case 0 where index < bytes.count: bytes[index] = pick(alphabet)
            case 1 where index < bytes.count: bytes.remove(at: index)
            default: bytes.insert(pick(alphabet), at: index)
            }
        }
    }
}

extension SplitMix64 {
    /// `count` mutants of `seeds`: each a seed picked at random with `mutate(_:from:)` applied,
    /// with any byte as the alphabet.
    public mutating func mutants(of seeds: [[UInt8]], count: Int) -> [[UInt8]] {
        let alphabet = (0...255).map { UInt8($0) }
        return (0..<count).map { _ in
            var bytes = pick(seeds)
            mutate(&bytes, from: alphabet)
            return bytes
        }
    }
}
