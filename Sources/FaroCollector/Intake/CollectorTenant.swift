public import IntakePolicy
public import Sampler
public import TokenBucket

/// A tenant as the collector uses it: its name, origins, session sampler and own rate limit.
public struct CollectorTenant: Sendable {
    /// The name, sent to Loki as `X-Scope-OrgID`; `nil` for the default tenant, which sends none.
    public let name: String?
    /// Its CORS policy.
    public let cors: CORSPolicy
    /// Which of its sessions are kept.
    public let sessions: SessionSampler
    /// Its own request limit, checked after the collector's.
    public let limiter: GCRALimiter?

    /// A tenant from its configuration (`nil` name: the default tenant).
    init(
        name: String?, corsAllowedOrigins: [String], sessionSampleRatio: Double, rateLimit: RateLimitingConfiguration?,
        clock: any RateLimiterClock
    ) throws(CollectorConfigurationError) {
        self.name = name
        for origin in corsAllowedOrigins where !CORSPolicy.isValidOrigin(origin) {
            throw .invalid("\(name.map { "tenant \($0): " } ?? "")cors_allowed_origins: origin \"\(origin)\" must be \(CORSPolicy.originRule)")
        }
        self.cors = CORSPolicy(allowedOrigins: corsAllowedOrigins)
        do {
            self.sessions = try SessionSampler(ratio: sessionSampleRatio)
        } catch {
            throw .invalid("tenant \(name ?? "default"): session_sample_ratio \(sessionSampleRatio) is not between 0 and 1")
        }
        if let rateLimit, rateLimit.enabled {
            self.limiter = GCRALimiter(RateLimit(rate: rateLimit.rate, burst: rateLimit.burstSize), clock: clock)
        } else {
            self.limiter = nil
        }
    }
}
