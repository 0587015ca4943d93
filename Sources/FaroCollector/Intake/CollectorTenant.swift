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
    /// Its own request limit, checked before the collector's (whose refusal gives its token
    /// back); a `TokenBucketLimiter` for its `cancel`.
    public let limiter: TokenBucketLimiter?

    /// A tenant from its configuration (`nil` name: the default tenant) and its bucket, if it
    /// has a limit.
    init(name: String?, corsAllowedOrigins: [String], sessionSampleRatio: Double, limiter: TokenBucketLimiter?)
        throws(CollectorConfigurationError)
    {
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
        self.limiter = limiter
    }
}
