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
    private let drops: DropCounters<LokiDropReason>
    /// How long requests take, by the status Loki answered.
    private let requestDurations: RequestDurationTimers

    /// The metrics of `tenant` (empty for none) pushing to `host`.
    init(host: String, tenant: String, factory: any MetricsFactory) {
        let dimensions = [("host", host), ("tenant", tenant)]
        sentEntries = Counter(label: "loki_write_sent_entries_total", dimensions: dimensions, factory: factory)
        sentBytes = Counter(label: "loki_write_sent_bytes_total", dimensions: dimensions, factory: factory)
        encodedBytes = Counter(label: "loki_write_encoded_bytes_total", dimensions: dimensions, factory: factory)
        sentBatches = Counter(label: "loki_write_sent_batches_total", dimensions: dimensions, factory: factory)
        retries = Counter(label: "loki_write_batch_retries_total", dimensions: dimensions, factory: factory)
        drops = DropCounters(
            itemsLabel: "loki_write_dropped_entries_total", bytesLabel: "loki_write_dropped_bytes_total", dimensions: dimensions,
            factory: factory)
        requestDurations = RequestDurationTimers(label: "loki_write_request_duration_seconds", dimensions: dimensions, factory: factory)
    }

    /// Counts `entries` entries of `bytes` bytes dropped for `reason`.
    func dropped(entries: Int, bytes: Int, reason: LokiDropReason) {
        drops.count(entries, bytes: bytes, reason: reason)
    }

    /// Records how long a request took, by the status Loki answered (`"0"` when none came).
    func requestDuration(_ duration: Duration, statusCode: Int) {
        requestDurations.record(duration, statusCode: statusCode)
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
