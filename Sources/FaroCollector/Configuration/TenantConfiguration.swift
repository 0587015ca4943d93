/// One tenant of a collector: who may post as it (API keys, origins), how much, and how its
/// telemetry is written (its name is the Loki and Tempo tenant, `X-Scope-OrgID`).
public struct TenantConfiguration: Sendable, Hashable {
    /// The tenant's name, sent to Loki as `X-Scope-OrgID`.
    public var name: String
    /// The keys that identify the tenant, in the `x-api-key` header or the path of
    /// `/collect/{app_key}`. Each key belongs to one tenant.
    public var apiKeys: [String]
    /// The origins whose browsers may post as this tenant (see
    /// `CollectorConfiguration.corsAllowedOrigins`); empty: any origin, with no CORS headers.
    public var corsAllowedOrigins: [String]
    /// The tenant's own request rate limit, one bucket for all its requests (its `strategy` must
    /// be `global`), checked before the collector's; `nil` for none.
    public var rateLimit: RateLimitingConfiguration?
    /// The ratio of the tenant's sessions kept (0 to 1).
    public var sessionSampleRatio: Double

    /// A tenant.
    public init(
        name: String, apiKeys: [String], corsAllowedOrigins: [String] = [], rateLimit: RateLimitingConfiguration? = nil,
        sessionSampleRatio: Double = 1
    ) {
        self.name = name
        self.apiKeys = apiKeys
        self.corsAllowedOrigins = corsAllowedOrigins
        self.rateLimit = rateLimit
        self.sessionSampleRatio = sessionSampleRatio
    }
}
