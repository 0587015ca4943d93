package import ConfigurationReading
import Foundation
import IntakePolicy
import TokenBucket
import W3CTraceContext
import Yams

/// Reads `rum-gateway`'s tenants file: a YAML (or JSON) block of tenants, each under its name.
/// Every problem of form (YAML, attributes, types, ranges) is reported with its line and column,
/// and reading goes on so that all are reported at once; then the tenants are checked together as
/// `TenantDirectory` checks them, and the first problem found there is reported without a line.
///
/// ```yaml
/// shop:
///   api_keys: [4c1f0e...]
///   hosts: [rum.shop.example]
///   path_prefixes: [/shop]
///   cors_allowed_origins: ["https://shop.example", "https://*.shop.example"]
///   max_payload_size: 1MiB
///   rate_limit: { rate: 200, burst: 400 }            # requests a second, whole tenant
///   byte_rate_limit: { rate: 2MiB, burst: 8MiB }     # body bytes a second
///   client_rate_limit: { rate: 5, burst: 20 }        # requests a second per client address
///   max_connections: 2000
///   trace_headers:
///     allow: [traceparent, tracestate, uber-trace-id]
///     strip: [x-amzn-trace-id]                       # trace headers to strip besides the known ones
///     untrusted: restart                             # trust, restart or drop
///     routes:
///       /v1/traces: { untrusted: trust }
/// ```
package enum TenantsFile {
    /// The attributes of a tenant's block.
    static let tenantKeys = [
        "api_keys", "hosts", "path_prefixes", "cors_allowed_origins", "max_payload_size", "rate_limit", "byte_rate_limit",
        "client_rate_limit", "max_connections", "trace_headers",
    ]

    /// The tenants in `text`, the contents of the file `name`, checked together.
    package static func read(_ text: String, name: String) throws(ConfigurationIssues) -> TenantDirectory {
        var reader = ConfigurationNodeReader(name: name)
        var tenants: [GatewayTenant] = []
        if let root = try reader.compose(text) {
            if case .mapping(let mapping) = root {
                for (key, value) in mapping {
                    guard let tenantName = key.string else {
                        reader.report(key, "a tenant's name must be text")
                        continue
                    }
                    guard TenantName.isValid(tenantName) else {
                        reader.report(key, TenantDirectoryError.invalidName(tenantName).description)
                        continue
                    }
                    if let tenant = readTenant(tenantName, value, reader: &reader) { tenants.append(tenant) }
                }
            } else {
                reader.reportMismatch(root, "the tenants file must be a block of tenants, each under its name")
            }
        }
        try reader.finish()
        do {
            return try TenantDirectory(tenants)
        } catch {
            throw ConfigurationIssues(issues: [ConfigurationIssue(location: name, message: error.description)])
        }
    }

    private static func readTenant(_ name: String, _ node: Node, reader: inout ConfigurationNodeReader) -> GatewayTenant? {
        guard case .mapping = node else {
            reader.reportMismatch(node, "tenant \(name) must be a block of \(tenantKeys.joined(separator: ", "))")
            return nil
        }
        var tenant = GatewayTenant(name: name)
        for (key, value) in reader.members(of: node, allowed: tenantKeys) {
            switch key {
            case "api_keys": if let keys = reader.stringList(value) { tenant.apiKeys = keys }
            case "hosts": if let hosts = reader.stringList(value) { tenant.hosts = hosts }
            case "path_prefixes": if let prefixes = reader.stringList(value) { tenant.pathPrefixes = prefixes }
            case "cors_allowed_origins": if let origins = reader.stringList(value) { tenant.corsAllowedOrigins = origins }
            case "max_payload_size":
                if let size = reader.bytes(value) {
                    if size > 0 { tenant.maxPayloadSize = size } else { reader.report(value, "max_payload_size must be positive") }
                }
            case "rate_limit": tenant.limits.requests = rateLimit(value, inBytes: false, reader: &reader)
            case "byte_rate_limit": tenant.limits.bytes = rateLimit(value, inBytes: true, reader: &reader)
            case "client_rate_limit": tenant.limits.perClient = rateLimit(value, inBytes: false, reader: &reader)
            case "max_connections":
                if let connections = reader.integer(value, in: 1...10_000_000) { tenant.limits.maxConnections = connections }
            case "trace_headers": if let propagation = tracePropagation(value, reader: &reader) { tenant.tracePropagation = propagation }
            default: break
            }
        }
        return tenant
    }

    /// `{ rate, burst }`: numbers, or sizes (`2MiB`) for a byte limit.
    private static func rateLimit(_ node: Node, inBytes: Bool, reader: inout ConfigurationNodeReader) -> RateLimit? {
        var rate: Double? = nil
        var burst: Int? = nil
        for (key, value) in reader.members(of: node, allowed: ["rate", "burst"]) {
            if inBytes {
                let size = reader.bytes(value)
                if key == "rate" { rate = size.map(Double.init) } else { burst = size }
            } else if key == "rate" {
                rate = reader.number(value)
                if let given = rate, given <= 0 {
                    reader.report(value, "rate must be more than 0")
                    rate = nil
                }
            } else {
                burst = reader.integer(value, in: 1...Int(Int32.max))
            }
        }
        guard case .mapping = node else { return nil }
        guard let rate, let burst else {
            reader.report(node, "a rate limit needs rate and burst")
            return nil
        }
        guard burst >= 1 else {
            reader.report(node, "burst must be at least 1")
            return nil
        }
        return RateLimit(rate: rate, burst: burst)
    }

    /// `trace_headers`: the tenant's policy and its routes'.
    private static func tracePropagation(_ node: Node, reader: inout ConfigurationNodeReader) -> TracePropagation? {
        guard let policy = propagationPolicy(node, base: PropagationPolicy(), routesAllowed: true, reader: &reader) else {
            return nil
        }
        var routes: [TracePropagation.Route] = []
        if case .mapping(let mapping) = node, let routesNode = mapping["routes"] {
            guard case .mapping(let routeMapping) = routesNode else {
                reader.reportMismatch(routesNode, "routes must be a block of path prefixes, each with its allow, strip and untrusted")
                return nil
            }
            for (key, value) in routeMapping {
                guard let prefix = key.string, PathPrefix.isValid(prefix) else {
                    reader.report(key, "a route must be a path prefix such as /v1/traces (starting with /, not ending with /)")
                    continue
                }
                if let routePolicy = propagationPolicy(value, base: policy, routesAllowed: false, reader: &reader) {
                    routes.append(TracePropagation.Route(pathPrefix: prefix, policy: routePolicy))
                }
            }
        }
        return TracePropagation(policy: policy, routes: routes)
    }

    /// `allow`, `strip` and `untrusted` over `base`.
    private static func propagationPolicy(
        _ node: Node, base: PropagationPolicy, routesAllowed: Bool, reader: inout ConfigurationNodeReader
    ) -> PropagationPolicy? {
        var policy = base
        let allowed = routesAllowed ? ["allow", "strip", "untrusted", "routes"] : ["allow", "strip", "untrusted"]
        for (key, value) in reader.members(of: node, allowed: allowed) {
            switch key {
            case "allow": if let names = reader.stringList(value) { policy.allowedHeaders = Set(names) }
            case "strip": if let names = reader.stringList(value) { policy.traceHeaderNames.formUnion(names) }
            case "untrusted":
                if let text = reader.string(value) {
                    if let decision = PropagationPolicy.TrustDecision(rawValue: text) {
                        policy.defaultDecision = decision
                    } else {
                        reader.report(value, "untrusted must be trust, restart or drop, not \(text)")
                    }
                }
            default: break
            }
        }
        guard case .mapping = node else { return nil }
        return policy
    }
}

extension TenantsFile {
    /// The tenants in the file at `path`.
    package static func load(_ path: String) throws(ConfigurationIssues) -> TenantDirectory {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationIssues(issues: [ConfigurationIssue(location: path, message: "cannot read: \(error)")])
        }
        return try read(text, name: path)
    }
}
