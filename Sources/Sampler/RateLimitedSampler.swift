public import TokenBucket

/// Samples at most a rate of traces per key (an app, a tenant), on a `KeyedRateLimiter` of
/// TokenBucket: each key has a bucket of `limit.burst` traces that refills at `limit.rate`
/// traces a second, in bounded memory (`maxKeys`, idle keys dropped first).
///
/// Call it once per trace, for its root span (or for a trace as it arrives at the collector):
/// each call takes a token. Rate limiting is not probability sampling, so a sampled span carries
/// no `ot` threshold (its adjusted count is unknown), and neither does a dropped one.
///
/// ```swift
/// let sampler = try RateLimitedSampler<String>(limit: RateLimit(rate: 100, burst: 100))
/// let result = sampler.shouldSample(key: appName, parent: nil)
/// ```
public struct RateLimitedSampler<Key: Hashable & Sendable>: Sendable {
    /// The limiter: one bucket per key.
    public let limiter: KeyedRateLimiter<Key>

    /// A sampler of at most `limit` traces per key (`overrides` for some keys), holding at most
    /// about `maxKeys` keys, keys unused for `idleTimeout` dropped first, on `clock`.
    public init(
        limit: RateLimit, overrides: [Key: RateLimit] = [:], maxKeys: Int = 100_000, idleTimeout: Duration = .seconds(600),
        clock: any RateLimiterClock = SystemRateLimiterClock()
    ) throws(SamplerConfigurationError) {
        for checked in [limit] + overrides.values where !(checked.rate >= 0) || checked.burst < 0 {
            throw .invalidRateLimit(checked)
        }
        guard maxKeys > 0 else { throw .invalidMaxKeys(maxKeys) }
        self.limiter = KeyedRateLimiter(
            limit: limit, overrides: overrides, maxKeys: maxKeys, idleTimeout: idleTimeout, clock: clock)
    }

    /// `recordAndSample` if `key`'s bucket has a token (taking it), else `drop`; the parent's
    /// `tracestate` without its `ot` threshold.
    @inlinable
    public func shouldSample(key: Key, parent: ParentSpanContext?) -> SamplingResult {
        SamplingResult(
            decision: limiter.allow(key) ? .recordAndSample : .drop,
            traceState: traceState(of: parent).erasingThreshold())
    }
}
