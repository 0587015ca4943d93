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
