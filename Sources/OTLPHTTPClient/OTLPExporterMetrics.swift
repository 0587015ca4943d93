import CoreMetrics
import PushDelivery
import OTLPCodec

/// Why export requests were dropped without being sent (the `reason` label of
/// `otlp_exporter_dropped_*`).
enum OTLPDropReason: String, Sendable, CaseIterable {
    /// `tryExport` found the buffer full.
    case bufferFull = "buffer_full"
    /// The request alone was larger than the buffer.
    case tooLarge = "too_large"
    /// The client stopped (shutdown's drain timed out, or `run()` was cancelled) before it was
    /// sent, and no spool kept it.
    case shutdown
    /// The spool was full: the oldest batch not in flight was dropped for a newer request, or
    /// the request itself when there was none.
    case spoolFull = "spool_full"
    /// A spooled batch could not be read back (its bytes are not known then: 0 is counted).
    case unreadableSpool = "unreadable_spool"
}

/// The metrics of one signal, in the OpenTelemetry Collector's exporter style
/// (`otelcol_exporter_sent_spans`, `…_send_failed_…`, `…_enqueue_failed_…`), counted in export
/// requests as the caller passed them and in their protobuf bytes, labelled with `signal`.
struct OTLPSignalMetrics: Sendable {
    /// Export requests the receiver accepted (2xx).
    let sentRequests: Counter
    /// Their protobuf bytes, before compression.
    let sentBytes: Counter
    /// Export requests given up after sending: refused by the receiver (a status that is not
    /// retried) or still failing after the last retry.
    let failedRequests: Counter
    /// Their bytes.
    let failedBytes: Counter
    /// Retries of a batch.
    let retries: Counter
    /// Export requests dropped before they could be sent and their bytes, by reason.
    private let drops: DropCounters<OTLPDropReason>
    /// How long requests take, by the status answered.
    private let requestDurations: RequestDurationTimers

    /// The metrics of `signal`.
    init(signal: OTLPSignal, factory: any MetricsFactory) {
        let dimensions = [("signal", signal.label)]
        sentRequests = Counter(label: "otlp_exporter_sent_requests_total", dimensions: dimensions, factory: factory)
        sentBytes = Counter(label: "otlp_exporter_sent_bytes_total", dimensions: dimensions, factory: factory)
        failedRequests = Counter(label: "otlp_exporter_failed_requests_total", dimensions: dimensions, factory: factory)
        failedBytes = Counter(label: "otlp_exporter_failed_bytes_total", dimensions: dimensions, factory: factory)
        retries = Counter(label: "otlp_exporter_retries_total", dimensions: dimensions, factory: factory)
        drops = DropCounters(
            itemsLabel: "otlp_exporter_dropped_requests_total", bytesLabel: "otlp_exporter_dropped_bytes_total", dimensions: dimensions,
            factory: factory)
        requestDurations = RequestDurationTimers(label: "otlp_exporter_request_duration_seconds", dimensions: dimensions, factory: factory)
    }

    /// Counts `requests` export requests of `bytes` bytes dropped for `reason`.
    func dropped(requests: Int, bytes: Int, reason: OTLPDropReason) {
        drops.count(requests, bytes: bytes, reason: reason)
    }

    /// Records how long one HTTP request took, by the status answered (`"0"` when none came).
    func requestDuration(_ duration: Duration, statusCode: Int) {
        requestDurations.record(duration, statusCode: statusCode)
    }
}

/// Every signal's metrics and the client-wide gauges.
struct OTLPExporterMetrics: Sendable {
    /// Per signal.
    let signals: [OTLPSignal: OTLPSignalMetrics]
    /// Protobuf bytes held: open, queued and in-flight batches.
    let queueBytes: Gauge
    /// `maximumBufferedBytes`, recorded once.
    let queueCapacityBytes: Gauge
    /// The bytes of the spool's segment files, when there is a spool.
    let spoolBytes: Gauge

    /// The metrics made with `factory`.
    init(factory: any MetricsFactory, capacity: Int) {
        var signals: [OTLPSignal: OTLPSignalMetrics] = [:]
        for signal in OTLPSignal.allCases { signals[signal] = OTLPSignalMetrics(signal: signal, factory: factory) }
        self.signals = signals
        queueBytes = Gauge(label: "otlp_exporter_queue_bytes", factory: factory)
        queueCapacityBytes = Gauge(label: "otlp_exporter_queue_capacity_bytes", factory: factory)
        spoolBytes = Gauge(label: "otlp_exporter_spool_bytes", factory: factory)
        queueCapacityBytes.record(capacity)
        queueBytes.record(0)
    }

    /// The metrics of `signal`.
    subscript(signal: OTLPSignal) -> OTLPSignalMetrics { signals[signal]! }
}
