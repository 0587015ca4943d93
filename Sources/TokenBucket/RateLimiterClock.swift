import Synchronization

/// A monotonic clock in nanoseconds, which limiters read for "now"; injectable, so that tests can
/// step time by hand.
public protocol RateLimiterClock: Sendable {
    /// Nanoseconds since a fixed origin of this clock; never decreasing.
    func nanoseconds() -> Int64
}

/// The system's monotonic clock (`ContinuousClock`), from the instant the clock was made.
public struct SystemRateLimiterClock: RateLimiterClock {
    /// The origin.
    private let origin = ContinuousClock.now

    /// A clock whose origin is now.
    public init() {}

    /// Nanoseconds since the clock was made.
    public func nanoseconds() -> Int64 {
        return (ContinuousClock.now - origin).nanoseconds
    }
}

/// A clock that moves only when told to: for deterministic tests.
public final class ManualRateLimiterClock: RateLimiterClock {
    /// The current reading.
    private let reading: Atomic<Int64>

    /// A clock that reads `nanoseconds`.
    public init(nanoseconds: Int64 = 0) {
        reading = Atomic(nanoseconds)
    }

    /// The current reading.
    public func nanoseconds() -> Int64 {
        reading.load(ordering: .acquiring)
    }

    /// Moves the clock by `nanoseconds` (which may be negative, to test a clock that goes back).
    public func advance(by nanoseconds: Int64) {
        reading.add(nanoseconds, ordering: .releasing)
    }

    /// Moves the clock by `duration`.
    public func advance(by duration: Duration) {
        advance(by: duration.nanoseconds)
    }
}
