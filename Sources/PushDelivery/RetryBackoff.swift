import TokenBucket

/// The delays between attempts at one request: exponential backoff with jitter, lengthened to
/// the server's `Retry-After` when it sends one, and capped.
///
/// ```swift
/// let backoff = RetryBackoff(minimum: .milliseconds(500), maximum: .seconds(300))
/// var generator = SystemRandomNumberGenerator()
/// let wait = backoff.delay(beforeRetry: 3, retryAfter: RetryAfter.delay("10", nowSecondsSince1970: now), using: &generator)
/// ```
///
/// Retry number `n` (1 for the first) waits a time drawn uniformly from the upper half of
/// `minimum * 2^(n-1)`, capped at `maximum`: clients that failed together do not retry together
/// ("full jitter" halved, so that no delay is near zero). A `Retry-After` longer than that is
/// honoured, up to `maximum`; a shorter one never shortens the delay.
public struct RetryBackoff: Sendable, Hashable {
    /// The delay before the first retry; each further retry doubles it.
    public var minimum: Duration
    /// The cap on every delay, also the longest `Retry-After` honoured.
    public var maximum: Duration

    /// A backoff from `minimum` doubling up to `maximum`.
    public init(minimum: Duration, maximum: Duration) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// The delay before retry number `retry` (1 for the first): `minimum` doubled `retry - 1`
    /// times and capped at `maximum`, then drawn uniformly from its upper half with `generator`.
    /// A `retryAfter` longer than that is honoured, up to `maximum`.
    public func delay(
        beforeRetry retry: Int, retryAfter: Duration?, using generator: inout some RandomNumberGenerator
    ) -> Duration {
        let minimum = max(self.minimum.nanoseconds, 1)
        let maximum = max(self.maximum.nanoseconds, minimum)
        let doublings = min(max(retry - 1, 0), 62)
        let (scaled, overflow) = minimum.multipliedReportingOverflow(by: Int64(1) << doublings)
        let ceiling = overflow ? maximum : min(scaled, maximum)
        let jittered = ceiling / 2 + Int64.random(in: 0...(ceiling - ceiling / 2), using: &generator)
        let wanted = max(jittered, retryAfter?.nanoseconds ?? 0)
        return .nanoseconds(min(wanted, maximum))
    }

    /// The delay before retry number `retry`, drawn with the system's random number generator
    /// (see `delay(beforeRetry:retryAfter:using:)`).
    public func delay(beforeRetry retry: Int, retryAfter: Duration? = nil) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(beforeRetry: retry, retryAfter: retryAfter, using: &generator)
    }
}
