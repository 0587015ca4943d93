import Logging
import NIOCore
import Prometheus
import RUMGateway
import ServerSupport
import Synchronization

/// What every connection of the gateway shares: the policy of the current tenants file (replaced
/// on reload), the balancer, the fleet's limits, the settings, the caps on client connections and
/// on those of the metrics and admin listeners (which count those open and refused), readiness
/// and metrics.
final class GatewayApplication: Sendable {
    let balancer: UpstreamBalancer
    let fleet: FleetLimits?
    let settings: GatewaySettings
    let connectionCap: ConnectionCap
    /// The caps of the metrics and admin listeners (`EndpointServer.maxConnections` each).
    let metricsEndpointCap = ConnectionCap(maximum: EndpointServer.maxConnections)
    let adminEndpointCap = ConnectionCap(maximum: EndpointServer.maxConnections)
    let metrics: GatewayMetrics
    let registry: PrometheusCollectorRegistry
    let logger: Logger
    private let currentPolicy: Mutex<GatewayPolicy>
    /// Whether `/-/ready` answers 200: from start until shutdown begins.
    private let ready = Atomic<Bool>(true)

    init(
        policy: GatewayPolicy, balancer: UpstreamBalancer, fleet: FleetLimits?, settings: GatewaySettings,
        registry: PrometheusCollectorRegistry, logger: Logger
    ) {
        currentPolicy = Mutex(policy)
        self.balancer = balancer
        self.fleet = fleet
        self.settings = settings
        self.connectionCap = ConnectionCap(maximum: settings.maxConnections)
        self.registry = registry
        self.metrics = GatewayMetrics()
        self.logger = logger
    }

    /// The policy of the current tenants file.
    var policy: GatewayPolicy { currentPolicy.withLock { $0 } }

    /// Replaces the tenants: requests under way finish with the policy that admitted them.
    func reload(_ directory: TenantDirectory) {
        currentPolicy.withLock { current in
            current = GatewayPolicy(
                directory: directory, trustedProxies: current.trustedProxies, maxPayloadSize: current.maxPayloadSize,
                sharesTenantLimits: current.sharesTenantLimits, previous: current)
        }
        fleet?.reload(directory)
    }

    /// Whether the gateway takes requests.
    var isReady: Bool { ready.load(ordering: .relaxed) }

    /// Makes `/-/ready` answer 503, so that load balancers stop sending before the server stops.
    func beginShutdown() { ready.store(false, ordering: .relaxed) }

    /// The Prometheus exposition: the registry's metrics, then the tenants' and upstreams'.
    func exposition() -> [UInt8] {
        var body: [UInt8] = []
        registry.emit(into: &body)
        GatewayExposition.append(
            tenants: policy.usages.map(\.snapshot), upstreams: balancer.snapshot(), metrics: metrics,
            connectionCaps: GatewayExposition.ConnectionCaps(clients: connectionCap, metricsEndpoint: metricsEndpointCap, adminEndpoint: adminEndpointCap),
            fleetFallback: fleet?.isFallingBack, to: &body)
        return body
    }
}

/// The gateway's settings that its connections read.
struct GatewaySettings: Sendable {
    /// How long a connection may send nothing before it is closed.
    var idleTimeout: TimeAmount
    /// How long a whole request may take to arrive.
    var requestTimeout: TimeAmount
    /// How long an upstream may take to answer once the request is sent.
    var upstreamTimeout: TimeAmount
    /// How the pools connect and keep connections.
    var pool: UpstreamPoolSettings
    /// Whether each request is logged at info level.
    var accessLog: Bool
    /// The largest buffer a client connection reads into (and keeps between reads).
    var maxReadBuffer: Int
    /// The most client connections open at once.
    var maxConnections: Int
}
