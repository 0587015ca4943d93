public import WriteAheadSpool

/// How an `OTLPHTTPClient` batches, sends and retries. Where the OpenTelemetry SDK environment
/// variables or the OpenTelemetry Collector's exporter settings have a default, it is used and
/// named below.
///
/// ```swift
/// var configuration = OTLPHTTPClientConfiguration(endpoint: "http://tempo:4318")
/// configuration.compression = .gzip
/// configuration.headers = [("Authorization", "Bearer \(token)")]
/// ```
public struct OTLPHTTPClientConfiguration: Sendable {
    /// The base URL of the OTLP/HTTP receiver, for example `http://tempo:4318` (the OTLP/HTTP
    /// port). As with `OTEL_EXPORTER_OTLP_ENDPOINT`, each signal is posted to the spec's path
    /// appended to it: `/v1/traces`, `/v1/logs` and `/v1/metrics` (a trailing `/` is ignored, so
    /// `http://gateway/otlp/` posts traces to `http://gateway/otlp/v1/traces`).
    public var endpoint: String
    /// Further headers sent with every request (`OTEL_EXPORTER_OTLP_HEADERS`), for example
    /// credentials.
    public var headers: [(name: String, value: String)] = []
    /// The longest one request may take, connecting included (`OTEL_EXPORTER_OTLP_TIMEOUT`,
    /// 10 s).
    public var timeout: Duration = .seconds(10)
    /// The compression of request bodies (`OTEL_EXPORTER_OTLP_COMPRESSION`, none).
    public var compression: OTLPCompression = .none
    /// A batch is sent once its export requests reach this many bytes of protobuf (4 MiB, the
    /// OpenTelemetry Collector's default `max_recv_msg_size_mib` for OTLP/gRPC, which receivers
    /// such as Tempo keep). A single export request larger than this is sent alone.
    public var maximumBatchBytes: Int = 4 << 20
    /// A batch is sent at the latest this long after its first export request (1 s, the SDK's
    /// `OTEL_BLRP_SCHEDULE_DELAY`; the span processor's `OTEL_BSP_SCHEDULE_DELAY` is 5 s, but
    /// what reaches this client was already batched by the browser or the SDK).
    public var batchWait: Duration = .seconds(1)
    /// The most protobuf bytes held in memory across every batch, open, queued and in flight
    /// (16 MiB). `tryExport` throws `bufferFull` while an export request would exceed it.
    public var maximumBufferedBytes: Int = 16 << 20
    /// The first delay before a retry (5 s, the Collector's `retry_on_failure.initial_interval`);
    /// each retry doubles it.
    public var minimumBackoff: Duration = .seconds(5)
    /// The longest delay before a retry (30 s, the Collector's `retry_on_failure.max_interval`),
    /// also the longest `Retry-After` honoured.
    public var maximumBackoff: Duration = .seconds(30)
    /// How many times a batch is retried before it is given up (10: with the default backoff
    /// about three minutes of waiting, within the Collector's `max_elapsed_time` of 5 min).
    public var maximumRetries: Int = 10
    /// How many batches may be in flight at once across signals and tenants (4). Each signal
    /// and tenant sends one batch at a time, so that its data arrive in order.
    public var maximumConcurrentSends: Int = 4
    /// How long `shutdown()` keeps sending what it holds before it gives up (15 s, as Grafana
    /// Alloy's `drain_timeout`). What a spool holds stays on disk for the next start.
    public var drainTimeout: Duration = .seconds(15)
    /// The write-ahead spool (none by default): when set, every export request is written to
    /// disk before `tryExport` returns and stays there until the receiver took it or refused it,
    /// so that it survives a crash, `kill -9` and a receiver down for longer than the drain; the
    /// next client on the directory sends it first. Memory then holds only the batches being
    /// sent, and the spool's `maximumBytes` bounds what is held: when it is full, the oldest
    /// batches not in flight are dropped for newer requests (`reason="spool_full"`).
    public var spool: SpoolConfiguration? = nil

    /// A configuration for the receiver at `endpoint` (for example `http://tempo:4318`) with
    /// the defaults.
    public init(endpoint: String) {
        self.endpoint = endpoint
    }
}

/// The compression of OTLP/HTTP request bodies.
public enum OTLPCompression: String, Sendable, Hashable, CaseIterable {
    /// Bodies are sent as they are.
    case none
    /// Bodies are gzip-compressed (`Content-Encoding: gzip`), through the system's zlib.
    case gzip
}
