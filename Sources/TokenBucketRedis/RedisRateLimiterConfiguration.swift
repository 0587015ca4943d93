public import TokenBucket

/// How a `RedisRateLimiter` shares its limits across a fleet and what it does when Redis is away.
public struct RedisRateLimiterConfiguration: Sendable {
    /// What to decide while Redis cannot be reached.
    public enum FailureMode: Sendable, Hashable {
        /// Decide on this node alone, with `localShare` of each limit (the default): requests keep
        /// flowing, at most the fleet's size times the share above the limit.
        case failOpen
        /// Deny every request until Redis answers again.
        case failClosed
    }

    /// The limit of every key without an override.
    public var limit: RateLimit
    /// Limits of particular keys (tenants).
    public var overrides: [String: RateLimit]
    /// Prefixed to each key to name its bucket in Redis.
    public var keyPrefix: String
    /// The most tokens a node takes from Redis in one round trip. Larger leases mean fewer round
    /// trips and more tokens held by nodes that may not spend them; see `Documentation/TokenBucket.md`
    /// for the bound on admissions.
    public var leaseSize: Int
    /// How long a node may spend the tokens of a lease; unspent ones are dropped after it.
    public var leaseLifetime: Duration
    /// What to decide while Redis cannot be reached.
    public var failureMode: FailureMode
    /// The fraction of each limit (rate and burst) that a node applies alone while Redis cannot be
    /// reached: 1 divided by the number of nodes shares the limit evenly.
    public var localShare: Double
    /// The wait before the first check whether Redis is back; it doubles with each failed check up
    /// to `maximumRecoveryDelay`.
    public var initialRecoveryDelay: Duration
    /// The longest wait between checks whether Redis is back.
    public var maximumRecoveryDelay: Duration
    /// The most keys whose leases a node keeps; idle ones are dropped first.
    public var maxKeys: Int

    /// A configuration with `limit` for every key (Alloy's default 50/s, burst 100, unless given).
    public init(
        limit: RateLimit = .alloyDefault,
        overrides: [String: RateLimit] = [:],
        keyPrefix: String = "rum:ratelimit:",
        leaseSize: Int = 10,
        leaseLifetime: Duration = .seconds(1),
        failureMode: FailureMode = .failOpen,
        localShare: Double = 1,
        initialRecoveryDelay: Duration = .milliseconds(100),
        maximumRecoveryDelay: Duration = .seconds(5),
        maxKeys: Int = 100_000
    ) {
        self.limit = limit
        self.overrides = overrides
        self.keyPrefix = keyPrefix
        self.leaseSize = max(1, leaseSize)
        self.leaseLifetime = leaseLifetime
        self.failureMode = failureMode
        self.localShare = min(1, max(0, localShare))
        self.initialRecoveryDelay = initialRecoveryDelay
        self.maximumRecoveryDelay = maximumRecoveryDelay
        self.maxKeys = max(1, maxKeys)
    }
}
