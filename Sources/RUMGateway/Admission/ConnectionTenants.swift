/// The tenants one client connection is counted for: each tenant it sent a request of, from that
/// request until the connection closes, so that a tenant's `max_connections` holds however a
/// keep-alive connection mixes the requests of several tenants.
public struct ConnectionTenants: Sendable {
    /// The usages counted, each once, in the order their first requests came.
    private var usages: [TenantUsage] = []

    /// No tenant yet.
    public init() {}

    /// Counts the connection for `usage`'s tenant unless it is already; false (and not counted)
    /// when that tenant is at its connection limit.
    public mutating func admit(_ usage: TenantUsage) -> Bool {
        if usages.contains(where: { $0 === usage }) { return true }
        guard usage.openConnection() else { return false }
        usages.append(usage)
        return true
    }

    /// Ends the connection's count for every tenant it was counted for.
    public mutating func close() {
        for usage in usages { usage.closeConnection() }
        usages.removeAll()
    }
}
