/// Whose a request is, as `TenantDirectory.resolve` finds it.
public enum TenantResolution: Sendable, Hashable {
    /// The request is the tenant's at `index` in the directory; `path` is the path to forward
    /// (without the tenant's path prefix, if it was found by one).
    case tenant(index: Int, path: Substring)
    /// The request names no tenant by host or path and carries no API key (401).
    case missingKey
    /// The API key belongs to no tenant (401).
    case unknownKey
    /// The host or path is a tenant's that wants a key, and the request carries none (401).
    case keyRequired(tenant: Int)
    /// The host or path is one tenant's and the key another's (403).
    case keyOfAnotherTenant(tenant: Int)
    /// The `x-api-key` header and the key in the path `/collect/{key}` differ (400): the
    /// collector takes the path's, so neither may decide alone.
    case conflictingKeys
}
