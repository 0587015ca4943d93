import CoreMetrics
import PushDelivery

/// The metrics of one tenant's pushes, under the names Grafana Alloy's `loki.write` uses (so its
/// dashboards and alerts keep working), labelled with Loki's `host` and the `tenant`.
struct LokiPushMetrics: Sendable {
    /// Entries Loki confirmed.
    let sentEntries: Counter
    /// Entry bytes (lines and structured metadata) Loki confirmed.
    let sentBytes: Counter
    /// Request body bytes sent, after compression, retries included.
    let encodedBytes: Counter
    /// Batches Loki confirmed.
    let sentBatches: Counter
    /// Retries of a batch.
    let retries: Counter
    /// Entries and bytes given up, by reason.
    private let droppedEntries: [LokiDropReason: Counter]
    private let droppedBytes: [LokiDropReason: Counter]
    /// The factory and labels that request-duration timers are made with, one per status code.
    private let factory: any MetricsFactory
    private let dimensions: [(String, String)]

    /// The metrics of `tenant` (empty for none) pushing to `host`.
    init(host: String, tenant: String, factory: any MetricsFactory) {
        let dimensions = [("host", host), ("tenant", tenant)]
        self.factory = factory
        self.dimensions = dimensions
        sentEntries = Counter(label: "loki_write_sent_entries_total", dimensions: dimensions, factory: factory)
        sentBytes = Counter(label: "loki_write_sent_bytes_total", dimensions: dimensions, factory: factory)
        encodedBytes = Counter(label: "loki_write_encoded_bytes_total", dimensions: dimensions, factory: factory)
        sentBatches = Counter(label: "loki_write_sent_batches_total", dimensions: dimensions, factory: factory)
        retries = Counter(label: "loki_write_batch_retries_total", dimensions: dimensions, factory: factory)
        var droppedEntries: [LokiDropReason: Counter] = [:]
        var droppedBytes: [LokiDropReason: Counter] = [:]
        for reason in LokiDropReason.allCases {
            let labelled = dimensions + [("reason", reason.rawValue)]
            droppedEntries[reason] = Counter(label: "loki_write_dropped_entries_total", dimensions: labelled, factory: factory)
            droppedBytes[reason] = Counter(label: "loki_write_dropped_bytes_total", dimensions: labelled, factory: factory)
        }
        self.droppedEntries = droppedEntries
        self.droppedBytes = droppedBytes
    }

    /// Counts `entries` entries of `bytes` bytes dropped for `reason`.
    func dropped(entries: Int, bytes: Int, reason: LokiDropReason) {
        droppedEntries[reason]?.increment(by: entries)
        droppedBytes[reason]?.increment(by: bytes)
    }

    /// Records how long a request took, by the status Loki answered (`"0"` when none came).
    func requestDuration(_ duration: Duration, statusCode: Int) {
        Timer(
            label: "loki_write_request_duration_seconds", dimensions: dimensions + [("status_code", String(statusCode))],
            factory: factory
        ).recordNanoseconds(duration.nanoseconds)
    }
}

/// The client-wide gauges: what is held in memory and on disk.
struct LokiQueueMetrics: Sendable {
    /// Entry bytes held in memory (open, queued and in-flight batches).
    let bufferedBytes: Gauge
    /// Batches waiting to be sent, in memory or in the spool.
    let queuedBatches: Gauge
    /// Bytes of the spool's files.
    let spoolBytes: Gauge

    /// The gauges of the client pushing to `host`.
    init(host: String, factory: any MetricsFactory) {
        let dimensions = [("host", host)]
        bufferedBytes = Gauge(label: "loki_write_buffered_bytes", dimensions: dimensions, factory: factory)
        queuedBatches = Gauge(label: "loki_write_queued_batches", dimensions: dimensions, factory: factory)
        spoolBytes = Gauge(label: "loki_write_spool_bytes", dimensions: dimensions, factory: factory)
    }
}
