public import TokenBucket

/// Why a sampler could not be made from its configuration.
public enum SamplerConfigurationError: Error, Hashable, Sendable {
    /// A ratio outside the range the sampler accepts (or not a number): [0, 1] for
    /// `TraceIDRatioBasedSampler` and `SessionSampler`, [2^-56, 1] for a probability sampler.
    case ratioOutOfRange(Double)
    /// A threshold precision outside 1...12 hex digits.
    case precisionOutOfRange(Int)
    /// A rate limit with a negative or not-a-number rate, or a negative burst.
    case invalidRateLimit(RateLimit)
    /// A key bound that is not positive.
    case invalidMaxKeys(Int)
}
