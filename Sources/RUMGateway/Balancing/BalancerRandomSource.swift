import Synchronization

/// Random bits for the balancer's draws, taken from many threads at once; injectable, so that
/// tests decide the same way on every run.
public protocol BalancerRandomSource: Sendable {
    /// The next 64 random bits.
    func next() -> UInt64
}

/// SplitMix64 over an atomic counter: each call adds the golden gamma to a shared state and mixes
/// the result, so that threads draw without a lock and without a system call. Not for secrets;
/// good enough to spread requests.
public final class SplitMixRandomSource: BalancerRandomSource {
    /// The counter that every draw advances.
    private let state: Atomic<UInt64>

    /// A source starting from `seed`; by default a seed from the system's generator.
    public init(seed: UInt64 = UInt64.random(in: .min ... .max)) {
        state = Atomic(seed)
    }

    /// The next 64 random bits.
    public func next() -> UInt64 {
        var z = state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
