import HTTPFieldText
public import IntakePolicy
import TokenBucket

/// Finds the tenant of a request from its host, path and API key.
///
/// A request is a tenant's when its `Host` is one of the tenant's hostnames, else when its path
/// is under one of the tenant's path prefixes (the longest wins), else when it carries one of
/// the tenant's API keys (the path `/collect/{key}` after any prefix, or `x-api-key`; a request
/// with both must carry the same key in each, since the collector takes the path's). A tenant
/// found by host or path that has API keys also wants one of them on every request. Keys are
/// compared in constant time (`APIKeyDirectory`).
public struct TenantDirectory: Sendable {
    /// The tenants, in the order given.
    public let tenants: [GatewayTenant]
    private let exactHosts: [String: Int]
    /// `*.example.com` as `.example.com`, longest first.
    private let wildcardHosts: [(suffix: String, tenant: Int)]
    /// Longest first.
    private let pathPrefixes: [(prefix: String, tenant: Int)]
    private let keys: APIKeyDirectory
    /// Each tenant's allowed origins, in the order of `tenants`.
    public let corsPolicies: [CORSPolicy]

    /// A directory of `tenants`, checked: valid and distinct names, hosts, prefixes and keys,
    /// and limits in range.
    public init(_ tenants: [GatewayTenant]) throws(TenantDirectoryError) {
        var names = Set<String>()
        var exactHosts: [String: Int] = [:]
        var wildcardHosts: [(suffix: String, tenant: Int)] = []
        var pathPrefixes: [(prefix: String, tenant: Int)] = []
        var keys = APIKeyDirectory()
        for (index, tenant) in tenants.enumerated() {
            guard TenantName.isValid(tenant.name) else { throw .invalidName(tenant.name) }
            guard names.insert(tenant.name).inserted else { throw .duplicateName(tenant.name) }
            guard !tenant.hosts.isEmpty || !tenant.pathPrefixes.isEmpty || !tenant.apiKeys.isEmpty else {
                throw .unreachable(tenant: tenant.name)
            }
            for host in tenant.hosts {
                let lower = host.asciiLowercased()
                guard Self.isValidHost(lower) else { throw .invalidHost(tenant: tenant.name, host: host) }
                if lower.hasPrefix("*.") {
                    let suffix = String(lower.dropFirst())
                    if let other = wildcardHosts.first(where: { $0.suffix == suffix }) {
                        throw .duplicateHost(host, tenants: [tenants[other.tenant].name, tenant.name])
                    }
                    wildcardHosts.append((suffix, index))
                } else {
                    if let other = exactHosts[lower] { throw .duplicateHost(host, tenants: [tenants[other].name, tenant.name]) }
                    exactHosts[lower] = index
                }
            }
            for prefix in tenant.pathPrefixes {
                guard PathPrefix.isValid(prefix) else { throw .invalidPathPrefix(tenant: tenant.name, prefix: prefix) }
                if let other = pathPrefixes.first(where: { $0.prefix == prefix }) {
                    throw .duplicatePathPrefix(prefix, tenants: [tenants[other.tenant].name, tenant.name])
                }
                pathPrefixes.append((prefix, index))
            }
            for key in tenant.apiKeys {
                guard !key.isEmpty else { throw .invalidAPIKey(tenant: tenant.name, reason: "an API key is empty") }
                guard keys.add(key, tenant: index) else {
                    throw .invalidAPIKey(tenant: tenant.name, reason: "an API key is also another tenant's, or listed twice")
                }
            }
            for origin in tenant.corsAllowedOrigins where !CORSPolicy.isValidOrigin(origin) {
                throw .invalidOrigin(tenant: tenant.name, origin: origin)
            }
            try Self.check(tenant)
        }
        self.tenants = tenants
        self.exactHosts = exactHosts
        self.wildcardHosts = wildcardHosts.sorted { $0.suffix.utf8.count > $1.suffix.utf8.count }
        self.pathPrefixes = pathPrefixes.sorted { $0.prefix.utf8.count > $1.prefix.utf8.count }
        self.keys = keys
        self.corsPolicies = tenants.map { CORSPolicy(allowedOrigins: $0.corsAllowedOrigins) }
    }

    /// The tenant at `index`.
    public subscript(index: Int) -> GatewayTenant { tenants[index] }

    /// The index of the tenant named `name`.
    public func index(named name: String) -> Int? { tenants.firstIndex { $0.name == name } }

    /// Whose the request is: `host` is the `Host` header (a port is ignored), `path` the request
    /// target, `apiKey` the `x-api-key` header. A key in the path and a different `apiKey` are
    /// `conflictingKeys`.
    public func resolve(host: String?, path: Substring, apiKey: String?) -> TenantResolution {
        var found: Int? = nil
        var forwardedPath = path
        if let host, let index = tenant(ofHost: host) {
            found = index
        } else if let (prefix, index) = pathPrefixes.first(where: { PathPrefix.matches($0.prefix, path) }) {
            found = index
            forwardedPath = PathPrefix.removing(prefix, from: path)
        }
        let pathKey = Self.pathKey(forwardedPath)
        if let apiKey, let pathKey, apiKey != pathKey { return .conflictingKeys }
        let key = pathKey ?? apiKey
        guard let key, !key.isEmpty else {
            guard let found else { return .missingKey }
            return tenants[found].apiKeys.isEmpty ? .tenant(index: found, path: forwardedPath) : .keyRequired(tenant: found)
        }
        guard let owner = keys.tenant(of: key) else {
            // A tenant without keys takes requests whatever key they carry: the collector decides.
            if let found, tenants[found].apiKeys.isEmpty { return .tenant(index: found, path: forwardedPath) }
            return .unknownKey
        }
        if let found, found != owner { return .keyOfAnotherTenant(tenant: found) }
        return .tenant(index: owner, path: forwardedPath)
    }

    /// The tenant of the hostname in a `Host` header: its bytes without the port and a final dot,
    /// ASCII letters lowered (configured hosts are ASCII, so no other case mapping can match one).
    private func tenant(ofHost header: String) -> Int? {
        guard !exactHosts.isEmpty || !wildcardHosts.isEmpty else { return nil }
        var name = header.utf8[...]
        if name.first == UInt8(ascii: "[") {
            // An IPv6 literal: `[::1]:8080`.
            name = name.dropFirst().prefix { $0 != UInt8(ascii: "]") }
        } else if let colon = name.lastIndex(of: UInt8(ascii: ":")) {
            name = name[..<colon]
        }
        if name.last == UInt8(ascii: ".") { name = name.dropLast() }
        let lower = Substring(name).asciiLowercased()
        if let index = exactHosts[lower] { return index }
        return wildcardHosts.first { lower.hasSuffix($0.suffix) && lower.utf8.count > $0.suffix.utf8.count }?.tenant
    }

    /// The key in a `/collect/{key}` path, as the collector reads it: up to a query or fragment.
    /// Read by its UTF-8 bytes: every request's target passes here, and the delimiters are ASCII.
    static func pathKey(_ path: Substring) -> String? {
        let withoutQuery = path.utf8.prefix { $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        guard withoutQuery.starts(with: "/collect/".utf8) else { return nil }
        let key = withoutQuery.dropFirst("/collect/".utf8.count)
        return key.isEmpty || key.contains(UInt8(ascii: "/")) ? nil : String(Substring(key))
    }

    /// Letters, digits, `-`, `.` and `_`, optionally after a leading `*.`.
    private static func isValidHost(_ host: String) -> Bool {
        let name = host.hasPrefix("*.") ? host.dropFirst(2) : Substring(host)
        guard !name.isEmpty, name.utf8.count <= 253, !name.hasPrefix("."), !name.hasSuffix(".") else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"):
                true
            default: false
            }
        }
    }

    /// Limits in range: rates more than 0, bursts of at least 1, at least one connection, a
    /// positive payload size.
    private static func check(_ tenant: GatewayTenant) throws(TenantDirectoryError) {
        let limits: [(String, RateLimit?)] = [
            ("rate_limit", tenant.limits.requests), ("byte_rate_limit", tenant.limits.bytes),
            ("client_rate_limit", tenant.limits.perClient),
        ]
        for case let (label, limit?) in limits {
            // A rate of 0 (a burst that never refills) is refused: the fleet's limiter in Redis
            // has no bucket for it, so it would mean one thing alone and another with Redis.
            guard limit.rate > 0, !limit.rate.isNaN else {
                throw .invalidLimit(tenant: tenant.name, reason: "\(label) rate must be more than 0")
            }
            guard limit.burst >= 1 else { throw .invalidLimit(tenant: tenant.name, reason: "\(label) burst must be at least 1") }
        }
        if let connections = tenant.limits.maxConnections, connections < 1 {
            throw .invalidLimit(tenant: tenant.name, reason: "max_connections must be at least 1")
        }
        if let size = tenant.maxPayloadSize, size < 1 {
            throw .invalidLimit(tenant: tenant.name, reason: "max_payload_size must be more than 0 bytes")
        }
    }
}
