/// A rate limit: events per second, and how many may come at once (the bucket's size), as Go's
/// `golang.org/x/time/rate` and Alloy's `rate_limiting` block (rate 50, burst 100) give it.
public struct RateLimit: Sendable, Hashable {
    /// Events per second; `.infinity` lets every event through, 0 lets only the burst through.
    /// The limiters take NaN as 0 (configuration readers refuse it).
    public var rate: Double
    /// How many events may come at once.
    public var burst: Int

    /// A limit of `rate` events per second with bursts of `burst`.
    public init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = burst
    }

    /// One event every `interval` (`rate.Every`): `.infinity` for an interval of zero or less.
    public static func every(_ interval: Duration, burst: Int) -> RateLimit {
        let nanoseconds = Double(interval.components.seconds) * 1e9 + Double(interval.components.attoseconds) / 1e9
        return RateLimit(rate: nanoseconds <= 0 ? .infinity : 1e9 / nanoseconds, burst: burst)
    }

    /// Alloy's default for `faro.receiver`: 50 events a second, bursts of 100.
    public static let alloyDefault = RateLimit(rate: 50, burst: 100)

    /// Whether every event passes (`rate.Inf`: the largest finite double, or infinity).
    var isInfinite: Bool { rate >= .greatestFiniteMagnitude }

    /// The time, in nanoseconds, it takes to accumulate `tokens` (`Limit.durationFromTokens`):
    /// `Int64.max` (never) for a rate of zero or less (or NaN), or past the range of `Int64`;
    /// `Int64.min` below it (a negative count of tokens at a slow rate, when a reservation is
    /// cancelled), as Go's conversion gives it.
    package func nanoseconds(toAccumulate tokens: Double) -> Int64 {
        if !(rate > 0) { return .max }
        let duration = tokens / rate * 1e9
        // `Double(Int64.max)` is 2^63, one past `Int64.max`.
        if duration >= Double(Int64.max) { return .max }
        if !(duration >= Double(Int64.min)) { return .min }
        return Int64(duration)
    }

    /// The tokens accumulated in `nanoseconds` (`Limit.tokensFromDuration`, through Go's
    /// `Duration.Seconds()`, which adds whole seconds and the rest apart).
    /// No time accumulates nothing, even at an infinite rate (where `0 * .infinity` would be NaN).
    func tokens(accumulatedIn nanoseconds: Int64) -> Double {
        if !(rate > 0) || nanoseconds == 0 { return 0 }
        let (seconds, rest) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        return (Double(seconds) + Double(rest) / 1e9) * rate
    }
}
