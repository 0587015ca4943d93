/// A fleet-wide limiter's answer for one request.
public struct RedisRateDecision: Sendable, Hashable {
    /// Where the decision came from.
    public enum Source: Sendable, Hashable {
        /// Tokens of a lease this node held, or a denial Redis gave earlier that still holds: no
        /// round trip.
        case lease
        /// A round trip to Redis.
        case redis
        /// The local fallback, while Redis cannot be reached.
        case fallback
        /// A limit that needs no bucket (an infinite rate), or a cost that no bucket can hold.
        case limit
    }

    /// Whether the request may go ahead.
    public let isAllowed: Bool
    /// When denied, how long until it might be allowed (for `Retry-After`); zero when allowed;
    /// `nil` when it never will be (a cost above the burst, a zero rate).
    public let retryAfter: Duration?
    /// Where the decision came from.
    public let source: Source

    /// A decision.
    public init(isAllowed: Bool, retryAfter: Duration?, source: Source) {
        self.isAllowed = isAllowed
        self.retryAfter = retryAfter
        self.source = source
    }
}
