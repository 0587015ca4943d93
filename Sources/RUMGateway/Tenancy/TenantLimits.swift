public import TokenBucket

/// A tenant's limits at the gateway; nil is no limit.
public struct TenantLimits: Sendable, Hashable {
    /// Requests per second and burst, for the whole tenant (across the gateway fleet when Redis
    /// is configured).
    public var requests: RateLimit?
    /// Body bytes per second and burst, for the whole tenant. A request whose body is larger
    /// than the burst is refused.
    public var bytes: RateLimit?
    /// Requests per second and burst for each client address (after `X-Forwarded-For` from
    /// trusted proxies) of the tenant.
    public var perClient: RateLimit?
    /// The most client connections carrying the tenant's requests at once. A connection counts
    /// for the tenant of its first request until it closes.
    public var maxConnections: Int?

    /// Limits; none by default.
    public init(requests: RateLimit? = nil, bytes: RateLimit? = nil, perClient: RateLimit? = nil, maxConnections: Int? = nil) {
        self.requests = requests
        self.bytes = bytes
        self.perClient = perClient
        self.maxConnections = maxConnections
    }
}
