import FaroCollector
import Logging
import Prometheus
import Synchronization

/// What every connection of the server shares: the intake checks and the ingestor (replaced
/// together when the configuration is reloaded), readiness and the metrics registry.
final class CollectorApplication: Sendable {
    /// The checks and the ingestor of one configuration.
    private struct Pipeline: Sendable {
        let intake: CollectorIntake
        let ingestor: FaroIngestor
    }

    private let pipeline: Mutex<Pipeline>
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
        self.pipeline = Mutex(Pipeline(intake: intake, ingestor: ingestor))
        self.metrics = metrics
        self.registry = registry
        self.webVitals = webVitals
        self.logger = logger
    }

    /// The intake checks of the current configuration.
    var intake: CollectorIntake { pipeline.withLock { $0.intake } }

    /// The ingestor of the current configuration.
    var ingestor: FaroIngestor { pipeline.withLock { $0.ingestor } }

    /// Replaces the checks and the ingestor; requests already admitted finish with the old ones.
    func reload(intake: CollectorIntake, ingestor: FaroIngestor) {
        pipeline.withLock { $0 = Pipeline(intake: intake, ingestor: ingestor) }
    }

    /// Whether the collector takes requests.
    var isReady: Bool { ready.load(ordering: .relaxed) }

    /// Makes `/-/ready` answer 503, so that load balancers stop sending before the server stops.
    func beginShutdown() { ready.store(false, ordering: .relaxed) }

    /// The answer of a route served from the collector's state: status, content type and body.
    func serve(_ route: CollectorRoute) -> (status: Int, contentType: String, body: [UInt8]) {
        switch route {
        case .ready:
            return isReady
                ? (200, "text/plain; charset=utf-8", Array("ready".utf8)) : (503, "text/plain; charset=utf-8", Array("shutting down".utf8))
        case .healthy:
            return (200, "text/plain; charset=utf-8", Array("healthy".utf8))
        case .metrics:
            var body: [UInt8] = []
            registry.emit(into: &body)
            var vitals = ContiguousArray<UInt8>()
            webVitals.appendExposition(to: &vitals)
            webVitals.appendStatisticsExposition(to: &vitals)
            body.append(contentsOf: vitals)
            return (200, WebVitalsHistograms.expositionContentType, body)
        case .collect, .otlp:
            return (404, "text/plain; charset=utf-8", Array("not found".utf8))
        }
    }
}
