/// A tenant of the gateway: how its requests are recognised (hostnames, path prefixes, API keys),
/// which browser origins may post, its limits and what happens to its trace headers.
public struct GatewayTenant: Sendable, Hashable {
    /// The tenant's name, valid as Loki's `X-Scope-OrgID` (`TenantName`).
    public var name: String
    /// Hostnames whose requests are the tenant's (the `Host` header, without port), matched
    /// ASCII case-insensitively; `*.example.com` matches every name under `example.com`.
    public var hosts: [String]
    /// Path prefixes whose requests are the tenant's (`/shop` matches `/shop` and `/shop/...`);
    /// the prefix is removed before the request goes upstream, so `/shop/collect` reaches the
    /// collector as `/collect`.
    public var pathPrefixes: [String]
    /// The tenant's API keys, sent in `x-api-key` or in the path (`/collect/{key}`). When there
    /// are some, every request of the tenant must carry one of them.
    public var apiKeys: [String]
    /// The browser origins that may post (`*` for any, one `*` in a pattern for any text); empty
    /// for no CORS checks. Preflights are answered at the edge.
    public var corsAllowedOrigins: [String]
    /// The largest body the tenant may send, in bytes; nil for the gateway's default.
    public var maxPayloadSize: Int?
    /// The tenant's request, byte, connection and per-client limits.
    public var limits: TenantLimits
    /// What happens to the trace headers of the tenant's requests, per route.
    public var tracePropagation: TracePropagation

    /// A tenant named `name`; everything else is empty or off until set.
    public init(
        name: String, hosts: [String] = [], pathPrefixes: [String] = [], apiKeys: [String] = [],
        corsAllowedOrigins: [String] = [], maxPayloadSize: Int? = nil, limits: TenantLimits = TenantLimits(),
        tracePropagation: TracePropagation = TracePropagation()
    ) {
        self.name = name
        self.hosts = hosts
        self.pathPrefixes = pathPrefixes
        self.apiKeys = apiKeys
        self.corsAllowedOrigins = corsAllowedOrigins
        self.maxPayloadSize = maxPayloadSize
        self.limits = limits
        self.tracePropagation = tracePropagation
    }
}
