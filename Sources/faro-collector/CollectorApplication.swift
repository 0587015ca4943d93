import FaroCollector
import Logging
import Prometheus
import Synchronization

/// What every connection of the server shares: the intake checks, the ingestor, readiness and
/// the metrics registry.
final class CollectorApplication: Sendable {
    let intake: CollectorIntake
    let ingestor: FaroIngestor
    let metrics: CollectorMetrics
    let registry: PrometheusCollectorRegistry
    let webVitals: WebVitalsHistograms
    let logger: Logger
    /// Whether `/-/ready` answers 200: from start until shutdown begins.
    private let ready = Atomic<Bool>(true)

    init(
        intake: CollectorIntake, ingestor: FaroIngestor, metrics: CollectorMetrics, registry: PrometheusCollectorRegistry,
        webVitals: WebVitalsHistograms, logger: Logger
    ) {
        self.intake = intake
        self.ingestor = ingestor
        self.metrics = metrics
        self.registry = registry
        self.webVitals = webVitals
        self.logger = logger
    }

    /// Whether the collector takes requests.
    var isReady: Bool { ready.load(ordering: .relaxed) }

    /// Makes `/-/ready` answer 503, so that load balancers stop sending before the server stops.
    func beginShutdown() { ready.store(false, ordering: .relaxed) }

    /// The answer of a route served from the collector's state: status, content type and body.
    func serve(_ route: CollectorRoute) -> (status: Int, contentType: String, body: [UInt8]) {
        switch route {
        case .ready:
            return isReady ? (200, "text/plain; charset=utf-8", Array("ready".utf8)) : (503, "text/plain; charset=utf-8", Array("shutting down".utf8))
        case .healthy:
            return (200, "text/plain; charset=utf-8", Array("healthy".utf8))
        case .metrics:
            var body: [UInt8] = []
            registry.emit(into: &body)
            var vitals = ContiguousArray<UInt8>()
            webVitals.appendExposition(to: &vitals)
            body.append(contentsOf: vitals)
            return (200, WebVitalsHistograms.expositionContentType, body)
        case .collect, .otlp:
            return (404, "text/plain; charset=utf-8", Array("not found".utf8))
        }
    }
}
