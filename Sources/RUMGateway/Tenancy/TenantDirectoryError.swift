import IntakePolicy

/// Why a list of tenants cannot be served.
public enum TenantDirectoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name is not a valid tenant name (`TenantName`).
    case invalidName(String)
    /// Two tenants have this name.
    case duplicateName(String)
    /// The tenant has no hostname, path prefix or API key, so no request can reach it.
    case unreachable(tenant: String)
    /// The hostname is empty, has a port, or has a `*` other than a leading `*.`.
    case invalidHost(tenant: String, host: String)
    /// The hostname belongs to two tenants.
    case duplicateHost(String, tenants: [String])
    /// The path prefix does not start with `/`, ends with `/` or holds `?`, `#` or `//`.
    case invalidPathPrefix(tenant: String, prefix: String)
    /// The path prefix belongs to two tenants.
    case duplicatePathPrefix(String, tenants: [String])
    /// The browser origin is not `*` or `http(s)://host[:port]` with nothing after it, so no
    /// browser's `Origin` header can match it (`TenantDirectory.isValidOrigin`).
    case invalidOrigin(tenant: String, origin: String)
    /// An API key is empty or belongs to two tenants (the key itself is not repeated here).
    case invalidAPIKey(tenant: String, reason: String)
    /// A limit is out of range.
    case invalidLimit(tenant: String, reason: String)

    /// One line for operators.
    public var description: String {
        switch self {
        case .invalidName(let name):
            "tenant name \"\(name)\" must be 1 to 150 of a-z A-Z 0-9 ! - _ . * ' ( ), and not . or .."
        case .duplicateName(let name): "tenant \(name) is listed twice"
        case .unreachable(let tenant): "tenant \(tenant) needs hosts, path_prefixes or api_keys, or no request reaches it"
        case .invalidHost(let tenant, let host):
            "tenant \(tenant): host \"\(host)\" must be a hostname without port, optionally starting with *."
        case .duplicateHost(let host, let tenants): "host \(host) belongs to tenants \(tenants.joined(separator: " and "))"
        case .invalidPathPrefix(let tenant, let prefix):
            "tenant \(tenant): path prefix \"\(prefix)\" must start with /, not end with / and hold no ?, # or //"
        case .duplicatePathPrefix(let prefix, let tenants):
            "path prefix \(prefix) belongs to tenants \(tenants.joined(separator: " and "))"
        case .invalidOrigin(let tenant, let origin):
            "tenant \(tenant): origin \"\(origin)\" must be \(CORSPolicy.originRule)"
        case .invalidAPIKey(let tenant, let reason): "tenant \(tenant): \(reason)"
        case .invalidLimit(let tenant, let reason): "tenant \(tenant): \(reason)"
        }
    }
}
