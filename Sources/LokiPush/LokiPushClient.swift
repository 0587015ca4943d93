public import AsyncHTTPClient
public import CoreMetrics
import PushDelivery
public import Logging
public import LokiPushCodec
import WriteAheadSpool

/// Pushes log entries to Loki: batches them per tenant by size and time, sends the batches
/// (protobuf with Snappy, or JSON) through AsyncHTTPClient, retries what can succeed later, and
/// with a spool keeps what it accepted on disk until Loki confirms it.
///
/// ```swift
/// let client = try LokiPushClient(configuration: LokiPushConfiguration(url: "http://loki:3100/loki/api/v1/push"))
/// let sender = Task { await client.run() }
///
/// var batch = LokiBatch()
/// let stream = batch.stream(try LokiLabels(["app": "checkout", "kind": "log"]))
/// try batch.append(LokiEntry(timestamp: now, line: "level=info msg=\"paid\""), to: stream)
/// try await client.push(batch, tenant: "team-a")   // waits while the buffer is full
///
/// await client.shutdown()                            // sends what it holds, then `run()` returns
/// await sender.value
/// ```
///
/// Delivery guarantees:
/// - Once `push` returns, the entries are the client's: they are delivered, or dropped and
///   counted in `loki_write_dropped_entries_total` with a `LokiDropReason`. A push that throws
///   accepted nothing.
/// - A tenant's batches are sent one at a time, in the order they were sealed, so each stream's
///   entries reach Loki in the order they were pushed, retries included.
/// - With a spool, a push returns only after its entries are written to disk, and a batch's
///   segment is removed only when Loki confirms it or it is dropped: a crash (`kill -9`) loses
///   nothing that was acknowledged; after a restart the batches are sent again (Loki may see a
///   batch twice if the crash came between its answer and the removal, and ignores the
///   duplicate entries).
public final class LokiPushClient: Sendable {
    /// The configuration.
    public let configuration: LokiPushConfiguration
    let httpClient: HTTPClient
    private let logger: Logger
    /// The queue and the sender loop.
    private let engine: DeliveryEngine<LokiPushQueue>
    private let retryPolicy: RetryBackoff
    let baseHeaders: [(String, String)]

    /// A client for `configuration`. With a spool, opens it (taking its lock) and queues the
    /// batches it holds from an earlier run, to be sent first.
    ///
    /// - Parameters:
    ///   - httpClient: the client that sends requests (the shared one by default); it must outlive this client.
    ///   - logger: where retries, drops and Loki's reasons for refusing a batch are logged.
    ///   - metricsFactory: where the metrics go (the bootstrapped `MetricsSystem` by default).
    public init(
        configuration: LokiPushConfiguration, httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "LokiPush", factory: { _ in SwiftLogNoOpLogHandler() }),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws(LokiPushError) {
        guard let host = LokiPushClient.host(of: configuration.url) else { throw .invalidURL(configuration.url) }
        let spool: WriteAheadSpool?
        do {
            spool = try configuration.spool.map { (spool) throws(SpoolError) in try WriteAheadSpool(configuration: spool) }
        } catch {
            throw .spool(error)
        }
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        self.retryPolicy = RetryBackoff(minimum: configuration.minimumBackoff, maximum: configuration.maximumBackoff)
        self.baseHeaders = LokiPushClient.headers(for: configuration)
        self.engine = DeliveryEngine(
            queue: LokiPushQueue(configuration: configuration, host: host, spool: spool, metricsFactory: metricsFactory, logger: logger))
    }

    /// Entry bytes held in memory now.
    public var bufferedBytes: Int { engine.withQueue { queue, _ in queue.bufferedBytes } }

    /// Batches sealed and not yet delivered or dropped, in memory or in the spool.
    public var queuedBatches: Int { engine.withQueue { queue, _ in queue.queuedBatches } }

    // MARK: Pushing

    /// Accepts `batch`'s entries for `tenant` (or the configured tenant when `nil`). Without a
    /// spool, waits while they do not fit in `maximumBufferedBytes` (pushes are accepted in the
    /// order they came); with one, returns once they are on disk.
    public func push(_ batch: LokiBatch, tenant: String? = nil) async throws(LokiPushError) {
        let tenant = tenant ?? configuration.tenant ?? ""
        // The effects are performed even when the push fails: dropping spooled batches for room
        // may have finished flushes.
        let accepted = try engine.withQueue { (queue, effects) throws(LokiPushError) in
            try queue.push(batch, tenant: tenant, now: .now, whenFull: .report, effects: &effects)
        }
        if accepted { return }
        try await waitForRoom(batch, tenant: tenant)
    }

    /// Accepts `entries` of the stream `labels` for `tenant` (see `push(_:tenant:)`).
    public func push(_ entries: [LokiEntry], labels: LokiLabels, tenant: String? = nil) async throws(LokiPushError) {
        try await push(try LokiPushClient.batch(entries, labels: labels), tenant: tenant)
    }

    /// Accepts `batch`'s entries without waiting: throws `bufferFull` when they do not fit, so
    /// that a server can answer its own caller at once (`429` or `503`).
    public func tryPush(_ batch: LokiBatch, tenant: String? = nil) throws(LokiPushError) {
        let tenant = tenant ?? configuration.tenant ?? ""
        try engine.withQueue { (queue, effects) throws(LokiPushError) in
            _ = try queue.push(batch, tenant: tenant, now: .now, whenFull: .fail, effects: &effects)
        }
    }

    /// Waits until `batch` is accepted by a finishing batch freeing room, or fails.
    private func waitForRoom(_ batch: LokiBatch, tenant: String) async throws(LokiPushError) {
        let id = engine.withQueue { queue, _ in queue.makeWaiterID() }
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let result = Result { () throws(LokiPushError) in
                        try engine.withQueue { (queue, effects) throws(LokiPushError) in
                            if Task.isCancelled { throw .cancelled }
                            return try queue.push(
                                batch, tenant: tenant, now: .now, whenFull: .wait(id: id, continuation: continuation), effects: &effects)
                        }
                    }
                    switch result {
                    case .success(true): continuation.resume()
                    case .success(false): break
                    case .failure(let error): continuation.resume(throwing: error)
                    }
                }
            } onCancel: {
                engine.withQueue { queue, _ in queue.cancelWaiter(id) }?.resume(throwing: LokiPushError.cancelled)
            }
        } catch let error as LokiPushError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// A batch of `entries` in the stream `labels`.
    private static func batch(_ entries: [LokiEntry], labels: LokiLabels) throws(LokiPushError) -> LokiBatch {
        var batch = LokiBatch()
        let stream = batch.stream(labels)
        for entry in entries {
            do {
                try batch.append(entry, to: stream)
            } catch {
                throw .invalidEntry(error)
            }
        }
        return batch
    }

    // MARK: Running

    /// Sends batches until `shutdown()` has drained the client or the task is cancelled (which
    /// stops at once: batches in flight are abandoned, spooled ones kept on disk). Call it once.
    public func run() async {
        await engine.run(batchWait: configuration.batchWait) { job in await self.deliver(job) }
    }

    /// Sends every batch held now, open ones included, and returns when each is delivered or
    /// dropped (or when the task is cancelled). Pushes made meanwhile are not waited for.
    /// Batches are sent by `run()`: without it running, `flush` waits until cancelled.
    public func flush() async {
        await engine.flush()
    }

    /// Stops taking pushes, sends what is held for at most `drainTimeout`, then stops `run()`
    /// and returns once it has returned. What is still undelivered is counted as dropped
    /// (`shutdown`), except what a spool holds, which stays on disk for the next start.
    public func shutdown() async {
        await engine.shutdown(drainTimeout: configuration.drainTimeout)
    }

    // MARK: Delivering

    /// Sends one batch, retrying as the configuration allows, and reports how it finished.
    private func deliver(_ job: DeliveryJob) async {
        if Task.isCancelled {
            finish(job, .abandoned, size: job.batch.size ?? .zero)
            return
        }
        var batch: LokiBatch
        switch job.batch.content {
        case .memory(let held):
            batch = held
        case .spooled:
            batch = LokiBatch()
            do {
                if let records = job.records { try batch.append(spooled: records) }
            } catch {
                // Counted as sealed, or for a recovered segment, as far as it could be read.
                logger.error("Loki push spool: a batch could not be decoded", metadata: ["error": "\(error)"])
                finish(job, .dropped(.unreadableSpool), size: job.batch.size ?? batch.size)
                return
            }
        }
        let body = encodedBody(batch)
        let tenant = job.batch.tenant
        let retryOnRateLimit = configuration.retryOnRateLimit
        let outcome = await retryPolicy.deliver(
            maximumRetries: configuration.maximumRetries,
            isRetryableStatus: { $0 >= 500 || ($0 == 429 && retryOnRateLimit) },
            willRetry: { retry, delay, failure in
                job.metrics.retries.increment()
                logger.warning(
                    "Loki push failed; retrying",
                    metadata: ["tenant": "\(tenant)", "retry": "\(retry)", "delay": "\(delay)", "reason": "\(failure)"])
            },
            send: { await send(body, tenant: tenant, metrics: job.metrics) })
        switch outcome {
        case .delivered:
            finish(job, .delivered, size: batch.size)
        case .abandoned:
            finish(job, .abandoned, size: batch.size)
        case .refused(let failure):
            logger.error(
                "Loki refused a batch; it is dropped",
                metadata: ["tenant": "\(tenant)", "entries": "\(batch.entryCount)", "reason": "\(failure)"])
            finish(job, .dropped(failure.dropReason), size: batch.size)
        case .exhausted(let failure, let retries):
            logger.error(
                "Loki push failed after the last retry; the batch is dropped",
                metadata: ["tenant": "\(tenant)", "entries": "\(batch.entryCount)", "retries": "\(retries)", "reason": "\(failure)"])
            finish(job, .dropped(failure.dropReason), size: batch.size)
        }
    }

    /// Reports a finished batch to the queue.
    private func finish(_ job: DeliveryJob, _ outcome: DeliveryOutcome, size: BatchSize) {
        engine.withQueue { queue, effects in queue.finish(job.batch, outcome: outcome, size: size, effects: &effects) }
    }

    /// The request body of `batch` in the configured format.
    private func encodedBody(_ batch: LokiBatch) -> ContiguousArray<UInt8> {
        var encoder = LokiPushEncoder()
        var body = ContiguousArray<UInt8>()
        switch configuration.format {
        case .protobuf:
            encoder.encodeProtobufBody(batch, into: &body)
        case .json:
            encoder.encodeJSONBody(batch, gzip: configuration.gzipJSON, into: &body)
        }
        return body
    }
}
