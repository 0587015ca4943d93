/// A tenant's counters at one moment, for the admin endpoint and metrics.
public struct TenantUsageSnapshot: Sendable, Hashable {
    /// The tenant's name.
    public var name: String
    /// Client connections open for the tenant now.
    public var connections: Int
    /// Requests since the gateway started: forwarded and refused at the edge.
    public var requests: Int
    /// Requests sent upstream.
    public var forwarded: Int
    /// Requests refused at the edge (CORS preflights are not counted).
    public var rejected: Int
    /// Body bytes sent upstream.
    public var bodyBytes: Int
}
