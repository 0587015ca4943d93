import Foundation
import HTTPFieldText
import IntakePolicy
import Logging
import NIOHTTP1
import RUMGateway

/// The admin endpoint: on a loopback address only, every request with `Authorization: Bearer
/// TOKEN` (the scheme in any case). `GET /tenants` lists the tenants with their limits and current
/// usage, `GET /upstreams` the upstreams with their load and state, `POST /reload` reads the
/// tenants file again.
struct AdminEndpoint: Sendable {
    let application: GatewayApplication
    let reload: TenantsReloadService
    private let token: [UInt8]

    init(application: GatewayApplication, reload: TenantsReloadService, token: String) {
        self.application = application
        self.reload = reload
        self.token = Array(token.utf8)
    }

    /// The loopback addresses: `127.0.0.0/8` and `::1`.
    private static let loopback = TrustedProxies([
        IPAddressRange(IPAddress(ipv4: 0x7F00_0000), prefixLength: 96 + 8), IPAddressRange(IPAddress(high: 0, low: 1), prefixLength: 128),
    ])

    /// Whether `host` is a loopback address (`127.0.0.0/8`, `::1`) or `localhost`.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        guard let address = try? IPAddress(parsing: host) else { return false }
        return loopback.contains(address)
    }

    /// The answer to one request, as JSON.
    func answer(_ head: HTTPRequestHead) -> EndpointServer.Answer {
        let (status, body) = route(head)
        return EndpointServer.Answer(status: status, contentType: "application/json", body: body)
    }

    private func route(_ head: HTTPRequestHead) -> (HTTPResponseStatus, [UInt8]) {
        guard authorized(head.headers["authorization"].first) else {
            return (.unauthorized, Self.json(["error": "a bearer token is required"]))
        }
        switch (head.method, head.uri.prefix { $0 != "?" }) {
        case (.GET, "/tenants"): return (.ok, Self.json(["tenants": tenants()]))
        case (.GET, "/upstreams"): return (.ok, Self.json(["upstreams": upstreams()]))
        case (.POST, "/reload"):
            return reload.reload(reason: "admin")
                ? (.ok, Self.json(["reloaded": true, "tenants": application.policy.directory.tenants.count]))
                : (.unprocessableEntity, Self.json(["reloaded": false, "error": "the tenants file has problems: see the gateway's log"]))
        case (_, "/tenants"), (_, "/upstreams"), (_, "/reload"): return (.methodNotAllowed, Self.json(["error": "method not allowed"]))
        default: return (.notFound, Self.json(["error": "not found"]))
        }
    }

    /// Whether `header` is the scheme `Bearer`, in any case (RFC 9110 section 11.1), then spaces
    /// and the token, compared in constant time.
    private func authorized(_ header: String?) -> Bool {
        guard let header, let space = header.firstIndex(of: " "), header[..<space].equalsIgnoringASCIICase("bearer") else {
            return false
        }
        let credentials = header[space...].drop { $0 == " " }
        return APIKeyDirectory.constantTimeEquals(token, String(credentials).utf8)
    }

    private func tenants() -> [[String: Any]] {
        let policy = application.policy
        return zip(policy.directory.tenants, policy.usages).map { tenant, usage in
            let snapshot = usage.snapshot
            var entry: [String: Any] = [
                "name": tenant.name, "hosts": tenant.hosts, "path_prefixes": tenant.pathPrefixes, "api_keys": tenant.apiKeys.count,
                "cors_allowed_origins": tenant.corsAllowedOrigins,
                "usage": [
                    "connections": snapshot.connections, "requests": snapshot.requests, "forwarded": snapshot.forwarded,
                    "rejected": snapshot.rejected, "body_bytes": snapshot.bodyBytes,
                ],
            ]
            var limits: [String: Any] = [:]
            if let limit = tenant.limits.requests { limits["rate_limit"] = ["rate": limit.rate, "burst": limit.burst] }
            if let limit = tenant.limits.bytes { limits["byte_rate_limit"] = ["rate": limit.rate, "burst": limit.burst] }
            if let limit = tenant.limits.perClient { limits["client_rate_limit"] = ["rate": limit.rate, "burst": limit.burst] }
            if let connections = tenant.limits.maxConnections { limits["max_connections"] = connections }
            entry["limits"] = limits
            entry["max_payload_size"] = tenant.maxPayloadSize ?? policy.maxPayloadSize
            return entry
        }
    }

    private func upstreams() -> [[String: Any]] {
        application.balancer.snapshot().map { upstream in
            [
                "name": upstream.name, "outstanding": upstream.outstanding, "healthy": upstream.isHealthy,
                "ejected": upstream.ejectedUntil != nil, "picks": upstream.picks, "failures": upstream.failures,
                "not_sent": upstream.notSent, "ejections": upstream.ejections,
            ]
        }
    }

    private static func json(_ value: [String: Any]) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Array(data) + [UInt8(ascii: "\n")]
    }
}
