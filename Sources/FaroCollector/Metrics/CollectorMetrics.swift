public import CoreMetrics
import SourceMaps
import Synchronization

/// The collector's own metrics. Item counts and exporter errors have the names Alloy's
/// `faro.receiver` gives them, so that its dashboards keep working, and so have the source-map
/// metrics (`faro_receiver_sourcemap_*`, with Alloy's labels; swift-metrics has no help texts);
/// requests are counted and timed by route and status, and refusals by reason.
public final class CollectorMetrics: Sendable {
    /// `faro_receiver_logs_total`: log items received.
    let logs: Counter
    /// `faro_receiver_measurements_total`: measurement items received.
    let measurements: Counter
    /// `faro_receiver_exceptions_total`: exception items received.
    let exceptions: Counter
    /// `faro_receiver_events_total`: event items received.
    let events: Counter
    /// `faro_receiver_sampled_out_payloads_total`: payloads dropped by session sampling.
    let sampledOut: Counter
    /// `faro_receiver_connections_refused_total`: connections closed when accepted, past `max_connections`.
    private let connectionsRefused: Counter
    private let factory: any MetricsFactory
    /// The counter and timer of each route and status seen, made once: a factory's lookup per
    /// request would cost more than the rest of the bookkeeping.
    private let requests = Mutex<[RequestKey: (Counter, Timer)]>([:])
    /// The refusal counter of each reason seen.
    private let rejections = Mutex<[String: Counter]>([:])
    /// The source-map download counter of each origin and HTTP status seen.
    private let sourceMapDownloads = Mutex<[LabelPair: Counter]>([:])
    /// The source-map file read counter of each origin and status seen.
    private let sourceMapFileReads = Mutex<[LabelPair: Counter]>([:])
    /// The source-map cache size gauge of each origin seen.
    private let sourceMapCacheSizes = Mutex<[String: Meter]>([:])

    /// A route and status.
    private struct RequestKey: Hashable {
        let route: String
        let status: Int
    }

    /// The values of a metric's two labels.
    private struct LabelPair: Hashable {
        let first: String
        let second: String
    }

    /// The metrics, made with `factory` (the bootstrapped `MetricsSystem` by default).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        logs = Counter(label: "faro_receiver_logs_total", factory: factory)
        measurements = Counter(label: "faro_receiver_measurements_total", factory: factory)
        exceptions = Counter(label: "faro_receiver_exceptions_total", factory: factory)
        events = Counter(label: "faro_receiver_events_total", factory: factory)
        sampledOut = Counter(label: "faro_receiver_sampled_out_payloads_total", factory: factory)
        connectionsRefused = Counter(label: "faro_receiver_connections_refused_total", factory: factory)
    }

    /// Counts a connection closed when accepted, the server being at its `max_connections`
    /// (`faro_receiver_connections_refused_total`).
    public func connectionRefused() {
        connectionsRefused.increment()
    }

    /// Counts an error of the exporter `exporter` (`faro_receiver_exporter_errors_total`).
    func exporterError(_ exporter: String) {
        Counter(label: "faro_receiver_exporter_errors_total", dimensions: [("exporter", exporter)], factory: factory).increment()
    }

    /// Counts and times a request answered with `status` on `route`
    /// (`faro_receiver_requests_total`, `faro_receiver_request_duration_seconds`), and a refusal's
    /// reason (`faro_receiver_rejected_requests_total`).
    public func request(route: String, status: Int, duration: Duration, rejectedFor reason: String? = nil) {
        let key = RequestKey(route: route, status: status)
        let (counter, timer) = Self.metric(in: requests, for: key) {
            let dimensions = [("route", route), ("status_code", String(status))]
            return (
                Counter(label: "faro_receiver_requests_total", dimensions: dimensions, factory: factory),
                Timer(label: "faro_receiver_request_duration_seconds", dimensions: dimensions, factory: factory)
            )
        }
        counter.increment()
        timer.recordNanoseconds(duration.nanoseconds)
        if let reason { rejected(reason: reason) }
    }

    /// Counts a request refused for `reason` (`faro_receiver_rejected_requests_total`): with an
    /// answer through `request(route:status:duration:rejectedFor:)`, or without one, as a request
    /// NIO's parser refused (`malformed`) or one cut off by a timeout (`request_timeout`,
    /// `idle_timeout`).
    public func rejected(reason: String) {
        Self.metric(in: rejections, for: reason) {
            Counter(label: "faro_receiver_rejected_requests_total", dimensions: [("reason", reason)], factory: factory)
        }.increment()
    }

    /// Counts a source-map download request to `origin` answered with `httpStatus`, or `?` when
    /// no answer came (`faro_receiver_sourcemap_downloads_total`).
    func sourceMapDownload(origin: String, httpStatus: String) {
        Self.metric(in: sourceMapDownloads, for: LabelPair(first: origin, second: httpStatus)) {
            Counter(
                label: "faro_receiver_sourcemap_downloads_total", dimensions: [("origin", origin), ("http_status", httpStatus)],
                factory: factory)
        }.increment()
    }

    /// Counts a look for a source-map file of a script of `origin` in a local directory
    /// (`faro_receiver_sourcemap_file_reads_total`).
    func sourceMapFileRead(origin: String, status: SourceMapFileReadStatus) {
        Self.metric(in: sourceMapFileReads, for: LabelPair(first: origin, second: status.rawValue)) {
            Counter(
                label: "faro_receiver_sourcemap_file_reads_total", dimensions: [("origin", origin), ("status", status.rawValue)],
                factory: factory)
        }.increment()
    }

    /// Moves the count of cached source maps of scripts of `origin` by `change`
    /// (`faro_receiver_sourcemap_cache_size`).
    func sourceMapCacheSize(origin: String, change: Int) {
        Self.metric(in: sourceMapCacheSizes, for: origin) {
            Meter(label: "faro_receiver_sourcemap_cache_size", dimensions: [("origin", origin)], factory: factory)
        }.increment(by: Double(change))
    }

    /// The metric of `key` in `metrics`, made with `make` the first time.
    private static func metric<Key: Hashable & Sendable, Metric: Sendable>(
        in metrics: borrowing Mutex<[Key: Metric]>, for key: Key, make: () -> Metric
    ) -> Metric {
        metrics.withLock { metrics in
            if let known = metrics[key] { return known }
            let made = make()
            metrics[key] = made
            return made
        }
    }
}
