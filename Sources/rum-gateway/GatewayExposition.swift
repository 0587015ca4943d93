import RUMGateway
import ServerSupport

/// The gateway's metrics in the Prometheus text format, from its counters at scrape time. Label
/// values are tenant names (`TenantName`'s characters) and upstream `host:port`s, which need no
/// escaping.
enum GatewayExposition {
    /// The caps whose counts are exposed: the client connections', and the metrics and admin
    /// listeners'.
    struct ConnectionCaps {
        var clients: ConnectionCap
        var metricsEndpoint: ConnectionCap
        var adminEndpoint: ConnectionCap
    }

    /// Appends the metrics of `tenants`, `upstreams`, `metrics`, the connections that
    /// `connectionCaps` count and the fleet limiter's state.
    static func append(
        tenants: [TenantUsageSnapshot], upstreams: [UpstreamSnapshot], metrics: GatewayMetrics, connectionCaps: ConnectionCaps,
        fleetFallback: Bool?, to body: inout [UInt8]
    ) {
        var text = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Int)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { text += "\(name)\(sample.labels.isEmpty ? "" : "{\(sample.labels)}") \(sample.value)\n" }
        }
        func byTenant(_ value: (TenantUsageSnapshot) -> Int) -> [(labels: String, value: Int)] {
            tenants.map { ("tenant=\"\($0.name)\"", value($0)) }
        }
        func byUpstream(_ value: (UpstreamSnapshot) -> Int) -> [(labels: String, value: Int)] {
            upstreams.map { ("upstream=\"\($0.name)\"", value($0)) }
        }
        family(
            "rum_gateway_tenant_requests_total", "counter", "Requests of the tenant: sent upstream or refused at the edge.",
            byTenant(\.requests))
        family("rum_gateway_tenant_forwarded_total", "counter", "Requests of the tenant sent upstream.", byTenant(\.forwarded))
        family("rum_gateway_tenant_rejected_total", "counter", "Requests of the tenant refused at the edge.", byTenant(\.rejected))
        family("rum_gateway_tenant_body_bytes_total", "counter", "Body bytes of the tenant sent upstream.", byTenant(\.bodyBytes))
        family("rum_gateway_tenant_connections", "gauge", "Client connections counted for the tenant.", byTenant(\.connections))
        family(
            "rum_gateway_upstream_outstanding_requests", "gauge", "Requests in flight to the upstream.",
            byUpstream(\.outstanding))
        family(
            "rum_gateway_upstream_available", "gauge", "1 when the upstream is healthy and not ejected.",
            byUpstream { $0.isAvailable ? 1 : 0 })
        family("rum_gateway_upstream_picks_total", "counter", "Requests sent to the upstream.", byUpstream { Int($0.picks) })
        family(
            "rum_gateway_upstream_failures_total", "counter", "Requests that failed at the upstream after they were sent.",
            byUpstream { Int($0.failures) })
        family(
            "rum_gateway_upstream_not_sent_total", "counter", "Requests that could not be sent to the upstream.",
            byUpstream { Int($0.notSent) })
        family("rum_gateway_upstream_ejections_total", "counter", "Times the upstream was ejected.", byUpstream { Int($0.ejections) })
        family(
            "rum_gateway_responses_total", "counter", "Answers to clients by status class.",
            metrics.answerCounts.map { ("code=\"\($0.0)\"", $0.1) })
        family(
            "rum_gateway_edge_answers_total", "counter", "Answers the gateway gave itself, by reason.",
            metrics.edgeCounts.map { ("reason=\"\($0.0)\"", $0.1) })
        family(
            "rum_gateway_retries_total", "counter", "Requests sent to another upstream because they could not be sent.",
            [("", metrics.retries.load(ordering: .relaxed))])
        family(
            "rum_gateway_upstream_timeouts_total", "counter", "Upstream answers that did not come in time.",
            [("", metrics.upstreamTimeouts.load(ordering: .relaxed))])
        family(
            "rum_gateway_tenants_reload_failures_total", "counter", "Reloads of the tenants file refused: the running tenants stayed.",
            [("", metrics.tenantsReloadFailures.load(ordering: .relaxed))])
        family("rum_gateway_connections", "gauge", "Client connections open.", [("", connectionCaps.clients.open)])
        family(
            "rum_gateway_connections_refused_total", "counter", "Client connections closed when accepted, past --max-connections.",
            [("", connectionCaps.clients.refused)])
        family(
            "rum_gateway_endpoint_connections_refused_total", "counter",
            "Connections to the metrics or admin listener closed when accepted, past their cap of \(EndpointServer.maxConnections).",
            [
                ("endpoint=\"metrics\"", connectionCaps.metricsEndpoint.refused),
                ("endpoint=\"admin\"", connectionCaps.adminEndpoint.refused),
            ])
        if let fleetFallback {
            family(
                "rum_gateway_fleet_limits_fallback", "gauge", "1 while Redis is away and each replica applies its share alone.",
                [("", fleetFallback ? 1 : 0)])
        }
        body.append(contentsOf: text.utf8)
    }
}
