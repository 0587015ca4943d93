/// A monotonic clock in nanoseconds, which the balancer reads to eject upstreams and bring them
/// back; injectable, so that tests can step time by hand.
public protocol BalancerClock: Sendable {
    /// Nanoseconds since a fixed origin of this clock; never decreasing.
    func nanoseconds() -> Int64
}

/// The system's monotonic clock (`ContinuousClock`), from the instant the clock was made.
public struct SystemBalancerClock: BalancerClock {
    /// The origin.
    private let origin = ContinuousClock.now

    /// A clock whose origin is now.
    public init() {}

    /// Nanoseconds since the clock was made.
    public func nanoseconds() -> Int64 {
        (ContinuousClock.now - origin).balancerNanoseconds
    }
}

extension Duration {
    /// The duration in whole nanoseconds, as the balancer counts time, saturating at the ends of
    /// `Int64`.
    var balancerNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflowAgain) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflowAgain ? (seconds < 0 ? .min : .max) : sum
    }
}
