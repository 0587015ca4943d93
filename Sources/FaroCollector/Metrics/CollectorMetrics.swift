public import CoreMetrics
import Synchronization

/// The collector's own metrics. Item counts and exporter errors have the names Alloy's
/// `faro.receiver` gives them, so that its dashboards keep working; requests are counted and timed
/// by route and status, and refusals by reason.
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
    private let factory: any MetricsFactory
    /// The counter and timer of each route and status seen, made once: a factory's lookup per
    /// request would cost more than the rest of the bookkeeping.
    private let requests = Mutex<[RequestKey: (Counter, Timer)]>([:])
    /// The refusal counter of each reason seen.
    private let rejections = Mutex<[String: Counter]>([:])

    /// A route and status.
    private struct RequestKey: Hashable {
        let route: String
        let status: Int
    }

    /// The metrics, made with `factory` (the bootstrapped `MetricsSystem` by default).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        logs = Counter(label: "faro_receiver_logs_total", factory: factory)
        measurements = Counter(label: "faro_receiver_measurements_total", factory: factory)
        exceptions = Counter(label: "faro_receiver_exceptions_total", factory: factory)
        events = Counter(label: "faro_receiver_events_total", factory: factory)
        sampledOut = Counter(label: "faro_receiver_sampled_out_payloads_total", factory: factory)
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
        let (counter, timer) = requests.withLock { requests in
            if let known = requests[key] { return known }
            let dimensions = [("route", route), ("status_code", String(status))]
            let made = (
                Counter(label: "faro_receiver_requests_total", dimensions: dimensions, factory: factory),
                Timer(label: "faro_receiver_request_duration_seconds", dimensions: dimensions, factory: factory)
            )
            requests[key] = made
            return made
        }
        counter.increment()
        timer.recordNanoseconds(duration.nanoseconds)
        if let reason {
            rejections.withLock { rejections in
                if let known = rejections[reason] { return known }
                let made = Counter(label: "faro_receiver_rejected_requests_total", dimensions: [("reason", reason)], factory: factory)
                rejections[reason] = made
                return made
            }.increment()
        }
    }
}
