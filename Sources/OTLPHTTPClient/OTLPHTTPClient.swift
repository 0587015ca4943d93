public import AsyncHTTPClient
public import CoreMetrics
import GzipCompression
import PushDelivery
public import Logging
public import OTLPCodec
import WriteAheadSpool

/// Exports OTLP data over HTTP (OTLP/HTTP with binary protobuf, as the OTLP specification
/// defines it) to a receiver such as Tempo, Loki or an OpenTelemetry Collector: it batches the
/// export requests it is given per signal and tenant, sends them through AsyncHTTPClient, and
/// retries what can succeed later.
///
/// ```swift
/// let exporter = try OTLPHTTPClient(configuration: OTLPHTTPClientConfiguration(endpoint: "http://tempo:4318"))
/// let sender = Task { await exporter.run() }
///
/// // An encoded ExportTraceServiceRequest, for example from OTLPJSON.transcodeToProtobuf.
/// try exporter.tryExport(request, signal: .traces, tenant: "team-a")   // throws .bufferFull at once
///
/// await exporter.shutdown()      // sends what it holds (within drainTimeout), then run() returns
/// await sender.value
/// ```
///
/// Batching: export requests of one signal and tenant are concatenated byte for byte into one
/// body, up to `maximumBatchBytes`, sent at the latest `batchWait` after the first. An
/// `Export{Trace,Logs,Metrics}ServiceRequest` has one field, the repeated `resource_spans`,
/// `resource_logs` or `resource_metrics` (field 1); protobuf parses concatenated messages as
/// one message with their fields merged, and a repeated field's elements appended, so the
/// receiver decodes the body as one request carrying every request's resources in order.
/// Requests given to this client must not carry other top-level fields.
///
/// Delivery:
/// - Each signal and tenant sends one batch at a time, in the order it was sealed, so data
///   arrive in the order they were given, retries included; at most `maximumConcurrentSends`
///   batches are in flight in all.
/// - As the OTLP specification asks, `429`, `502`, `503` and `504` and failures without an
///   answer (connection refused, timeout) are retried with exponential backoff and jitter,
///   waiting at least the `Retry-After` the receiver sends (up to `maximumBackoff`); any other
///   status is final: the batch is dropped, logged and counted as failed.
/// - Once `tryExport` returns, the request is sent or counted in the metrics as failed or
///   dropped (see `Documentation/OTLPHTTPClient.md` for the metric names).
/// - With a spool (`configuration.spool`), `tryExport` returns once the request is written to
///   disk, and it stays there until the receiver took or refused it: a crash, `kill -9` or a
///   shutdown that could not drain loses nothing, and the next client on the directory sends
///   it first.
public final class OTLPHTTPClient: Sendable {
    /// The configuration.
    public let configuration: OTLPHTTPClientConfiguration
    let httpClient: HTTPClient
    let logger: Logger
    let metrics: OTLPExporterMetrics
    /// Each signal's URL.
    let urls: [OTLPSignal: String]
    /// The headers every request carries.
    let baseHeaders: [(String, String)]
    private let backoff: RetryBackoff
    /// The queue and the sender loop.
    private let engine: DeliveryEngine<OTLPExportQueue>

    /// A client for `configuration`; throws `invalidEndpoint` when the endpoint is not an
    /// `http` or `https` URL. With a spool, opens it (taking its lock; `spool(.locked)` when
    /// another client holds the directory) and queues the batches an earlier run left in it.
    ///
    /// - Parameters:
    ///   - httpClient: the client that sends requests (the shared one by default); it must outlive this client.
    ///   - logger: where retries and the receiver's reasons for refusing a batch are logged.
    ///   - metricsFactory: where the metrics go (the bootstrapped `MetricsSystem` by default).
    public init(
        configuration: OTLPHTTPClientConfiguration, httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "OTLPHTTPClient", factory: { _ in SwiftLogNoOpLogHandler() }),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws(OTLPExportError) {
        guard let base = OTLPHTTPClient.baseURL(configuration.endpoint) else { throw .invalidEndpoint(configuration.endpoint) }
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        let metrics = OTLPExporterMetrics(factory: metricsFactory, capacity: configuration.maximumBufferedBytes)
        self.metrics = metrics
        var urls: [OTLPSignal: String] = [:]
        for signal in OTLPSignal.allCases { urls[signal] = base + signal.otlpHTTPPath }
        self.urls = urls
        self.baseHeaders = OTLPHTTPClient.headers(for: configuration)
        self.backoff = RetryBackoff(minimum: configuration.minimumBackoff, maximum: configuration.maximumBackoff)
        let spool: WriteAheadSpool?
        do {
            spool = try configuration.spool.map { (spool) throws(SpoolError) in try WriteAheadSpool(configuration: spool) }
        } catch {
            throw .spool(error)
        }
        self.engine = DeliveryEngine(queue: OTLPExportQueue(configuration: configuration, metrics: metrics, spool: spool, logger: logger))
    }

    /// Protobuf bytes held in memory now: open, queued and in-flight batches (with a spool,
    /// only those read back to be sent).
    public var bufferedBytes: Int { engine.withQueue { queue, _ in queue.bufferedBytes } }

    /// The URL that `signal` is posted to: the endpoint with the signal's path (`/v1/traces`…).
    public func url(for signal: OTLPSignal) -> String { urls[signal]! }

    // MARK: Exporting

    /// Takes one encoded `Export{Trace,Logs,Metrics}ServiceRequest` of `signal` for `tenant`
    /// (sent as `X-Scope-OrgID`; `nil` sends no tenant header) without waiting. It throws at
    /// once, taking nothing, when the request does not fit in `maximumBufferedBytes`
    /// (`bufferFull`, so that a server can answer its own caller `429` or `503`), when it is
    /// larger than the whole buffer, or after `shutdown()` began. With a spool, it returns once
    /// the request is written to disk; it throws `spoolFull` when the spool has no room even
    /// after dropping its oldest batches not in flight, and `spool` when writing fails. An empty
    /// request is ignored.
    public func tryExport(_ request: ContiguousArray<UInt8>, signal: OTLPSignal, tenant: String? = nil) throws(OTLPExportError) {
        let key = OTLPLaneKey(signal: signal, tenant: tenant)
        try engine.withQueue { (queue, effects) throws(OTLPExportError) in
            try queue.enqueue(request, key: key, now: .now, effects: &effects)
        }
    }

    // MARK: Running

    /// Sends batches until `shutdown()` has drained the client or the task is cancelled (which
    /// stops at once: batches in flight are abandoned and counted as dropped, spooled ones kept
    /// on disk). Call it once.
    public func run() async {
        await engine.run(batchWait: configuration.batchWait) { batch in await self.deliver(batch) }
    }

    /// Sends every batch held now, open ones included, and returns when each is delivered,
    /// failed or dropped (or when the task is cancelled). Requests taken meanwhile are not
    /// waited for. Batches are sent by `run()`: without it running, `flush` waits until cancelled.
    public func flush() async {
        await engine.flush()
    }

    /// Stops taking requests, sends what is held for at most `drainTimeout`, then stops `run()`
    /// and returns once it has returned. What is still unsent is counted as dropped
    /// (`reason="shutdown"`), except what a spool holds, which stays on disk for the next start.
    /// Batches are sent by `run()`: without it running, the drain waits the whole `drainTimeout`
    /// (unless nothing is held).
    public func shutdown() async {
        await engine.shutdown(drainTimeout: configuration.drainTimeout)
    }

    // MARK: Delivering

    /// Sends one batch, retrying as the configuration allows, and reports how it finished.
    private func deliver(_ batch: OTLPBatch) async {
        if Task.isCancelled {
            finish(batch, .abandoned)
            return
        }
        let body: ContiguousArray<UInt8>
        switch configuration.compression {
        case .none:
            body = batch.body
        case .gzip:
            var compressed = ContiguousArray<UInt8>()
            batch.body.withUnsafeBytes { Gzip.compress($0, into: &compressed) }
            body = compressed
        }
        let metrics = self.metrics[batch.key.signal]
        let outcome = await backoff.deliver(
            maximumRetries: configuration.maximumRetries,
            isRetryableStatus: OTLPHTTPClient.isRetryable(status:),
            willRetry: { retry, delay, failure in
                metrics.retries.increment()
                logger.warning(
                    "OTLP export failed; retrying",
                    metadata: logMetadata(batch, failure).merging(["retry": "\(retry)", "delay": "\(delay)"]) { $1 })
            },
            send: { await send(body, key: batch.key, metrics: metrics) })
        switch outcome {
        case .delivered:
            finish(batch, .delivered)
        case .abandoned:
            finish(batch, .abandoned)
        case .refused(let failure):
            logger.error("The OTLP receiver refused a batch; it is dropped", metadata: logMetadata(batch, failure))
            finish(batch, .failed)
        case .exhausted(let failure, let retries):
            logger.error(
                "OTLP export failed after the last retry; the batch is dropped",
                metadata: logMetadata(batch, failure).merging(["retries": "\(retries)"]) { $1 })
            finish(batch, .failed)
        }
    }

    /// What the logs of a failed `batch` say about it.
    private func logMetadata(_ batch: OTLPBatch, _ failure: PushFailure) -> Logger.Metadata {
        [
            "signal": "\(batch.key.signal.label)", "tenant": "\(batch.key.tenant ?? "")", "requests": "\(batch.requests)",
            "bytes": "\(batch.body.count)", "reason": "\(failure)",
        ]
    }

    /// Reports a finished batch to the queue.
    private func finish(_ batch: OTLPBatch, _ outcome: OTLPBatchOutcome) {
        engine.withQueue { queue, effects in queue.finish(batch, outcome: outcome, effects: &effects) }
    }
}
