public import LokiPushCodec
public import WriteAheadSpool

/// How a `LokiPushClient` batches, sends and retries; the defaults are those of Grafana Alloy's
/// `loki.write` endpoint block where it has the setting.
///
/// ```swift
/// var configuration = LokiPushConfiguration(url: "http://loki:3100/loki/api/v1/push")
/// configuration.authorization = .bearer(token: secret)
/// configuration.spool = SpoolConfiguration(directory: "/var/lib/faro-collector/loki")
/// ```
public struct LokiPushConfiguration: Sendable {
    /// Loki's push endpoint, for example `http://127.0.0.1:3100/loki/api/v1/push`.
    public var url: String
    /// The body format: protobuf with Snappy (the default, as Alloy sends) or JSON.
    public var format: LokiPushFormat = .protobuf
    /// Whether JSON bodies are gzip-compressed (`Content-Encoding: gzip`); protobuf bodies are
    /// always Snappy-compressed, as Loki requires.
    public var gzipJSON: Bool = false
    /// The tenant (`X-Scope-OrgID`) of pushes that name none; `nil` sends no tenant header.
    public var tenant: String? = nil
    /// A batch is sent once its entries reach this many bytes (Alloy's `batch_size`, 1 MiB),
    /// counted as `LokiBatch.byteCount` counts them.
    public var batchSize: Int = 1 << 20
    /// A batch is sent at the latest this long after its first entry (Alloy's `batch_wait`, 1 s).
    public var batchWait: Duration = .seconds(1)
    /// The most entry bytes held in memory across every tenant's batches, open, queued and in
    /// flight (10 MiB, the capacity of Alloy's queue). Without a spool, `push` waits and
    /// `tryPush` fails while a push would exceed it; with a spool, open batches are moved to disk
    /// instead.
    public var maximumBufferedBytes: Int = 10 << 20
    /// The first delay before a retry (Alloy's `min_backoff_period`, 500 ms); each retry doubles it.
    public var minimumBackoff: Duration = .milliseconds(500)
    /// The longest delay before a retry (Alloy's `max_backoff_period`, 5 m), also the longest
    /// `Retry-After` honoured.
    public var maximumBackoff: Duration = .seconds(300)
    /// How many times a batch is retried before it is dropped (Alloy's `max_backoff_retries`, 10).
    public var maximumRetries: Int = 10
    /// Whether a `429 Too Many Requests` is retried (Alloy's `retry_on_http_429`, true); when not,
    /// the batch is dropped as rate limited.
    public var retryOnRateLimit: Bool = true
    /// The longest one request may take, connecting included (Alloy's `remote_timeout`, 10 s).
    public var timeout: Duration = .seconds(10)
    /// How many batches may be in flight at once across tenants. Each tenant sends one batch at
    /// a time, so that its streams reach Loki in order.
    public var maximumConcurrentSends: Int = 4
    /// How long `shutdown()` keeps sending what it holds before it gives up (Alloy's
    /// `drain_timeout`, 15 s). What a spool holds stays on disk for the next start.
    public var drainTimeout: Duration = .seconds(15)
    /// Credentials sent with every request.
    public var authorization: LokiAuthorization? = nil
    /// Further headers sent with every request.
    public var headers: [(name: String, value: String)] = []
    /// The write-ahead spool: when set, every push is written to disk before it is
    /// acknowledged, and batches survive a crash or restart of the process.
    public var spool: SpoolConfiguration? = nil

    /// A configuration for `url` with the defaults.
    public init(url: String) {
        self.url = url
    }
}

/// Credentials for Loki (or the gateway in front of it).
public enum LokiAuthorization: Sendable, Hashable {
    /// HTTP basic authentication.
    case basic(username: String, password: String)
    /// A bearer token (`Authorization: Bearer ...`).
    case bearer(token: String)
}
