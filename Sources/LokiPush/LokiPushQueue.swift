import CoreMetrics
import Logging
import LokiPushCodec
import PushDelivery
import WriteAheadSpool

/// The state of a `LokiPushClient`, behind its mutex: each tenant's open batch and queue, the
/// memory bound with the pushes waiting for room, the spool, and the flushes waiting for
/// batches to finish. Its methods never suspend; what must happen outside the lock (resuming
/// tasks, waking the sender loop) is collected in `QueueEffects`.
struct LokiPushQueue: ~Copyable {
    /// Whether the client takes pushes and sends batches.
    enum Phase {
        /// Taking pushes and sending.
        case running
        /// `shutdown()` was called: no more pushes; sending what is held.
        case draining
        /// Nothing more is sent.
        case stopped
    }

    /// A push waiting for memory to be freed.
    struct CapacityWaiter {
        let id: UInt64
        let batch: LokiBatch
        let tenant: String
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// One tenant's batches: a class, so that reading a field through `tenants[name]!` copies a
    /// reference rather than the whole tenant (which a push did several times).
    final class Tenant {
        /// The batch being filled.
        var open = LokiBatch()
        /// When the open batch got its first entry.
        var openedAt: ContinuousClock.Instant? = nil
        /// The spool segment that holds the open batch's entries.
        var openSegment: SpoolSegmentID? = nil
        /// Sealed batches, oldest first.
        var queued: [QueuedBatch] = []
        /// Whether one of its batches is in flight (a tenant sends one at a time, in order).
        var isSending = false
        /// Its metrics.
        let metrics: LokiPushMetrics

        init(metrics: LokiPushMetrics) {
            self.metrics = metrics
        }
    }

    let configuration: LokiPushConfiguration
    let host: String
    let metricsFactory: any MetricsFactory
    let logger: Logger
    let gauges: LokiQueueMetrics
    private(set) var phase = Phase.running
    private var tenants: [String: Tenant] = [:]
    /// Tenants in the order they first pushed; senders take them round robin from `nextTenant`.
    private var tenantOrder: [String] = []
    private var nextTenant = 0
    /// Entry bytes held in memory: open batches, and queued or in-flight batches in memory.
    private(set) var bufferedBytes = 0
    private var spool: WriteAheadSpool?
    private var recordEncoder = LokiPushEncoder()
    private var record = ContiguousArray<UInt8>()
    private var nextSequence: UInt64 = 0
    /// Sequences of sealed batches not yet delivered or dropped.
    private var unfinished = Set<UInt64>()
    private var inFlight = 0
    private var capacityWaiters: [CapacityWaiter] = []
    private var flushWaiters: [(id: UInt64, upTo: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    private var nextWaiterID: UInt64 = 0

    /// A queue for `configuration`; with a spool, the batches it recovered are queued first.
    init(
        configuration: LokiPushConfiguration, host: String, spool: consuming WriteAheadSpool?,
        metricsFactory: any MetricsFactory, logger: Logger
    ) {
        self.configuration = configuration
        self.host = host
        self.metricsFactory = metricsFactory
        self.logger = logger
        self.gauges = LokiQueueMetrics(host: host, factory: metricsFactory)
        self.spool = spool
        recoverSpool()
        updateGauges()
    }

    /// How many sealed batches wait to be sent or are in flight.
    var queuedBatches: Int { unfinished.count }

    /// A new identifier for a waiter.
    mutating func makeWaiterID() -> UInt64 {
        nextWaiterID += 1
        return nextWaiterID
    }

    // MARK: Pushing

    /// What `push` does with a batch that does not fit in memory.
    enum WhenFull {
        /// Throws `bufferFull`.
        case fail
        /// Returns `false`, accepting nothing.
        case report
        /// Queues the waiter, to be accepted and resumed once the batch fits, and returns `false`.
        case wait(id: UInt64, continuation: CheckedContinuation<Void, any Error>)
    }

    /// Accepts `batch` for `tenant` if it fits (returning `true`); if not, does as `whenFull`
    /// says. Pushes that find others waiting wait behind them. With a spool nothing waits: open
    /// batches move to disk instead.
    mutating func push(
        _ batch: LokiBatch, tenant: String, now: ContinuousClock.Instant, whenFull: WhenFull, effects: inout QueueEffects
    ) throws(LokiPushError) -> Bool {
        guard phase == .running else { throw .shutDown }
        guard batch.byteCount <= configuration.maximumBufferedBytes else {
            throw .batchTooLarge(bytes: batch.byteCount, maximum: configuration.maximumBufferedBytes)
        }
        if batch.isEmpty { return true }
        if spool == nil, !capacityWaiters.isEmpty || bufferedBytes + batch.byteCount > configuration.maximumBufferedBytes {
            switch whenFull {
            case .fail:
                throw .bufferFull(bytes: batch.byteCount, buffered: bufferedBytes, maximum: configuration.maximumBufferedBytes)
            case .report:
                return false
            case .wait(let id, let continuation):
                capacityWaiters.append(CapacityWaiter(id: id, batch: batch, tenant: tenant, continuation: continuation))
                return false
            }
        }
        try admit(batch, tenant: tenant, now: now, effects: &effects)
        return true
    }

    /// Removes a waiting push whose task was cancelled, returning its continuation to resume.
    mutating func cancelWaiter(_ id: UInt64) -> CheckedContinuation<Void, any Error>? {
        guard let index = capacityWaiters.firstIndex(where: { $0.id == id }) else { return nil }
        return capacityWaiters.remove(at: index).continuation
    }

    /// Adds `batch` to the tenant's open batch: first to its spool segment, sealing the open
    /// batch first if `batch` would take it past the batch size, and after if it reached it.
    private mutating func admit(
        _ batch: LokiBatch, tenant: String, now: ContinuousClock.Instant, effects: inout QueueEffects
    ) throws(LokiPushError) {
        // The tenant is looked up once (its name hashed once): the rest goes through the reference.
        let state: Tenant
        if let existing = tenants[tenant] {
            state = existing
        } else {
            state = Tenant(metrics: LokiPushMetrics(host: host, tenant: tenant, factory: metricsFactory))
            tenants[tenant] = state
            tenantOrder.append(tenant)
        }
        if !state.open.isEmpty, state.open.byteCount + batch.byteCount > configuration.batchSize {
            seal(tenant: tenant, effects: &effects)
        }
        if spool != nil { try writeToSpool(batch, tenant: tenant, effects: &effects) }
        state.open.append(contentsOf: batch)
        if state.openedAt == nil { state.openedAt = now }
        bufferedBytes += batch.byteCount
        if state.open.byteCount >= configuration.batchSize { seal(tenant: tenant, effects: &effects) }
        if spool != nil {
            // With a spool, memory is bounded by moving the largest open batches to disk.
            while bufferedBytes > configuration.maximumBufferedBytes,
                let largest = tenants.max(by: { $0.value.open.byteCount < $1.value.open.byteCount }), !largest.value.open.isEmpty
            {
                seal(tenant: largest.key, effects: &effects)
            }
        }
        updateGauges()
    }

    /// Appends `batch` as one record to the tenant's open segment (created if it has none),
    /// dropping the spool's oldest queued batches while it is full.
    private mutating func writeToSpool(_ batch: LokiBatch, tenant: String, effects: inout QueueEffects) throws(LokiPushError) {
        guard let spool else { return }
        record.removeAll(keepingCapacity: true)
        recordEncoder.encodePushRequest(batch, into: &record)
        var open = tenants[tenant]!.openSegment
        let result = record.withUnsafeBytes { bytes in
            Result { () throws(SpoolError) in
                try spool.append(bytes, toOpen: &open, label: tenant) { dropOldestSpooledBatch(effects: &effects) }
            }
        }
        tenants[tenant]!.openSegment = open
        switch result {
        case .success:
            return
        case .failure(.full):
            throw .spoolFull(bytes: record.count, maximum: configuration.spool?.maximumBytes ?? 0)
        case .failure(let error):
            throw .spool(error)
        }
    }

    /// Drops the oldest spooled batch that is not in flight, counting it as `spool_full`;
    /// `false` if there is none.
    private mutating func dropOldestSpooledBatch(effects: inout QueueEffects) -> Bool {
        var oldest: (tenant: String, sequence: UInt64)? = nil
        for (tenant, queue) in tenants {
            guard let first = queue.queued.first, case .spooled = first.content else { continue }
            if oldest == nil || first.sequence < oldest!.sequence { oldest = (tenant, first.sequence) }
        }
        guard let oldest else { return false }
        let batch = tenants[oldest.tenant]!.queued.removeFirst()
        var size = batch.size ?? .zero
        if case .spooled(let segment, let known) = batch.content {
            if known == nil { size = spooledSize(segment) }
            removeSegment(segment)
        }
        tenants[oldest.tenant]!.metrics.dropped(entries: size.entries, bytes: size.bytes, reason: .spoolFull)
        logger.warning(
            "Loki push spool full: dropped the oldest batch",
            metadata: ["tenant": "\(oldest.tenant)", "entries": "\(size.entries)", "bytes": "\(size.bytes)"])
        unfinished.remove(batch.sequence)
        resumeFinishedFlushes(effects: &effects)
        return true
    }

    // MARK: Sealing

    /// Seals every open batch that is at least `batchWait` old.
    mutating func sealAgedBatches(now: ContinuousClock.Instant, effects: inout QueueEffects) {
        for tenant in tenantOrder {
            if let openedAt = tenants[tenant]!.openedAt, now - openedAt >= configuration.batchWait {
                seal(tenant: tenant, effects: &effects)
            }
        }
        updateGauges()
    }

    /// Seals the tenant's open batch, if it has entries, and queues it.
    private mutating func seal(tenant: String, effects: inout QueueEffects) {
        guard !tenants[tenant]!.open.isEmpty else { return }
        let sequence = nextSequence
        nextSequence += 1
        unfinished.insert(sequence)
        let open = tenants[tenant]!.open
        let content: QueuedBatch.Content
        if let spool, let segment = tenants[tenant]!.openSegment {
            do {
                try spool.seal(segment)
            } catch {
                // The records are written; only closing the file failed. Sending reads them back.
                logger.error("Loki push spool: sealing a segment failed", metadata: ["error": "\(error)"])
            }
            content = .spooled(segment, size: open.size)
            bufferedBytes -= open.byteCount
            tenants[tenant]!.open.removeAll(keepingCapacity: true)
            tenants[tenant]!.openSegment = nil
            admitWaiters(effects: &effects)
        } else {
            content = .memory(open)
            // The next batch will likely be as large: room for it now saves copying it as it grows.
            var next = LokiBatch()
            next.reserveCapacity(bytes: open.byteCount + open.byteCount / 8, entries: open.entryCount)
            tenants[tenant]!.open = next
        }
        tenants[tenant]!.queued.append(QueuedBatch(sequence: sequence, tenant: tenant, content: content))
        tenants[tenant]!.openedAt = nil
        effects.wakeSender = true
    }

    // MARK: Sending

    /// Takes batches to send: the oldest of each tenant that has none in flight, round robin
    /// across tenants, up to the concurrency limit.
    mutating func takeJobs(effects: inout QueueEffects) -> [DeliveryJob] {
        guard phase != .stopped, !tenantOrder.isEmpty else { return [] }
        var jobs: [DeliveryJob] = []
        var scanned = 0
        while inFlight < configuration.maximumConcurrentSends, scanned < tenantOrder.count {
            let tenant = tenantOrder[nextTenant % tenantOrder.count]
            nextTenant = (nextTenant + 1) % tenantOrder.count
            scanned += 1
            guard !tenants[tenant]!.isSending, !tenants[tenant]!.queued.isEmpty else { continue }
            let batch = tenants[tenant]!.queued.removeFirst()
            var records: SpoolRecords? = nil
            if case .spooled(let segment, let size) = batch.content, let spool {
                do {
                    records = try spool.records(in: segment)
                } catch {
                    // A segment that cannot be read has no entries to count unless this client sealed it.
                    logger.error(
                        "Loki push spool: a batch could not be read back", metadata: ["segment": "\(segment)", "error": "\(error)"])
                    removeSegment(segment)
                    let dropped = size ?? .zero
                    tenants[tenant]!.metrics.dropped(entries: dropped.entries, bytes: dropped.bytes, reason: .unreadableSpool)
                    unfinished.remove(batch.sequence)
                    resumeFinishedFlushes(effects: &effects)
                    continue
                }
            }
            tenants[tenant]!.isSending = true
            inFlight += 1
            scanned = 0
            jobs.append(DeliveryJob(batch: batch, records: records, metrics: tenants[tenant]!.metrics))
        }
        updateGauges()
        return jobs
    }

    /// Records how a sender finished with `batch`, whose entries and their bytes, as the sender
    /// read them, are `size`.
    mutating func finish(_ batch: QueuedBatch, outcome: DeliveryOutcome, size: BatchSize, effects: inout QueueEffects) {
        inFlight -= 1
        tenants[batch.tenant]!.isSending = false
        unfinished.remove(batch.sequence)
        let metrics = tenants[batch.tenant]!.metrics
        switch outcome {
        case .delivered:
            metrics.sentEntries.increment(by: size.entries)
            metrics.sentBytes.increment(by: size.bytes)
            metrics.sentBatches.increment()
        case .dropped(let reason):
            metrics.dropped(entries: size.entries, bytes: size.bytes, reason: reason)
        case .abandoned:
            if case .memory = batch.content { metrics.dropped(entries: size.entries, bytes: size.bytes, reason: .shutdown) }
        }
        switch batch.content {
        case .memory(let held):
            bufferedBytes -= held.byteCount
            admitWaiters(effects: &effects)
        case .spooled(let segment, _):
            if outcome != .abandoned { removeSegment(segment) }
        }
        resumeFinishedFlushes(effects: &effects)
        effects.wakeSender = true
        updateGauges()
    }

    /// Accepts waiting pushes, oldest first, while they fit.
    private mutating func admitWaiters(effects: inout QueueEffects) {
        while let waiter = capacityWaiters.first,
            bufferedBytes + waiter.batch.byteCount <= configuration.maximumBufferedBytes
        {
            capacityWaiters.removeFirst()
            do {
                try admit(waiter.batch, tenant: waiter.tenant, now: .now, effects: &effects)
                effects.resume(waiter.continuation, with: .success(()))
            } catch {
                effects.resume(waiter.continuation, with: .failure(error))
            }
        }
    }

    // MARK: Flushing and stopping

    /// Seals every open batch; returns `true` when nothing sealed is left unfinished, or queues
    /// `continuation` until every batch sealed so far is delivered or dropped.
    mutating func flush(waiterID: UInt64, continuation: CheckedContinuation<Void, Never>?, effects: inout QueueEffects) -> Bool {
        for tenant in tenantOrder { seal(tenant: tenant, effects: &effects) }
        updateGauges()
        guard !unfinished.isEmpty, nextSequence > 0 else { return true }
        if let continuation { flushWaiters.append((waiterID, nextSequence - 1, continuation)) }
        return false
    }

    /// Removes a waiting flush whose task was cancelled, returning its continuation to resume.
    mutating func cancelFlush(_ id: UInt64) -> CheckedContinuation<Void, Never>? {
        guard let index = flushWaiters.firstIndex(where: { $0.id == id }) else { return nil }
        return flushWaiters.remove(at: index).continuation
    }

    /// Resumes the flushes whose batches have all finished.
    private mutating func resumeFinishedFlushes(effects: inout QueueEffects) {
        let lowest = unfinished.min() ?? .max
        flushWaiters.removeAll { waiter in
            guard waiter.upTo < lowest else { return false }
            effects.flushed.append(waiter.continuation)
            return true
        }
    }

    /// Stops taking pushes: waiting pushes fail with `shutDown`.
    mutating func beginDraining(effects: inout QueueEffects) {
        if phase == .running { phase = .draining }
        for waiter in capacityWaiters { effects.resume(waiter.continuation, with: .failure(.shutDown)) }
        capacityWaiters.removeAll()
    }

    /// Stops sending. Batches in memory that were not delivered are counted as dropped
    /// (`shutdown`); spooled ones stay on disk for the next start. Every waiter is resumed.
    mutating func stop(effects: inout QueueEffects) {
        beginDraining(effects: &effects)
        phase = .stopped
        for tenant in tenantOrder {
            let queue = tenants[tenant]!
            for batch in queue.queued {
                if case .memory(let held) = batch.content {
                    queue.metrics.dropped(entries: held.entryCount, bytes: held.byteCount, reason: .shutdown)
                    bufferedBytes -= held.byteCount
                }
                unfinished.remove(batch.sequence)
            }
            tenants[tenant]!.queued.removeAll()
            if !queue.open.isEmpty {
                // Without a spool the open batch is lost; with one it stays in its segment.
                if spool == nil {
                    queue.metrics.dropped(entries: queue.open.entryCount, bytes: queue.open.byteCount, reason: .shutdown)
                }
                bufferedBytes -= queue.open.byteCount
                tenants[tenant]!.open.removeAll()
                tenants[tenant]!.openedAt = nil
            }
        }
        for waiter in flushWaiters { effects.flushed.append(waiter.continuation) }
        flushWaiters.removeAll()
        updateGauges()
    }

    // MARK: Spool

    /// Queues the batches of the segments the spool recovered, oldest first, without reading
    /// them: they are read when sent (or counted when dropped). Segments without records (a
    /// crash right after one was created) are removed.
    private mutating func recoverSpool() {
        guard let spool else { return }
        for segment in spool.segments {
            guard segment.recordCount > 0 else {
                removeSegment(segment.id)
                continue
            }
            if tenants[segment.label] == nil {
                tenants[segment.label] = Tenant(metrics: LokiPushMetrics(host: host, tenant: segment.label, factory: metricsFactory))
                tenantOrder.append(segment.label)
            }
            let sequence = nextSequence
            nextSequence += 1
            unfinished.insert(sequence)
            tenants[segment.label]!.queued.append(
                QueuedBatch(sequence: sequence, tenant: segment.label, content: .spooled(segment.id, size: nil)))
        }
        if !unfinished.isEmpty {
            logger.info("Loki push spool: replaying batches from disk", metadata: ["batches": "\(unfinished.count)"])
        }
    }

    /// The entries of a spooled segment and their bytes, read from disk: what of them can be
    /// read, when not all can.
    private func spooledSize(_ segment: SpoolSegmentID) -> BatchSize {
        var batch = LokiBatch()
        guard let spool else { return batch.size }
        do {
            try batch.append(spooled: try spool.records(in: segment))
        } catch {
            logger.error("Loki push spool: a segment could not be read to count it", metadata: ["segment": "\(segment)", "error": "\(error)"])
        }
        return batch.size
    }

    /// Removes a segment from the spool, logging a failure (the file then stays and is replayed
    /// once more after a restart, which Loki takes as a duplicate).
    private mutating func removeSegment(_ segment: SpoolSegmentID) {
        do {
            try spool?.remove(segment)
        } catch {
            logger.error("Loki push spool: removing a segment failed", metadata: ["error": "\(error)"])
        }
    }

    /// Sets the gauges.
    private func updateGauges() {
        gauges.bufferedBytes.record(bufferedBytes)
        gauges.queuedBatches.record(unfinished.count)
        if let spool { gauges.spoolBytes.record(spool.byteCount) }
    }
}

/// What must happen once the queue's lock is released.
struct QueueEffects {
    /// Pushes to resume, with their outcome.
    private(set) var resumptions: [(CheckedContinuation<Void, any Error>, Result<Void, LokiPushError>)] = []
    /// Flushes to resume.
    var flushed: [CheckedContinuation<Void, Never>] = []
    /// Whether the sender loop has batches to take.
    var wakeSender = false

    /// Records that a waiting push is to be resumed with `result`.
    mutating func resume(_ continuation: CheckedContinuation<Void, any Error>, with result: Result<Void, LokiPushError>) {
        resumptions.append((continuation, result))
    }

    /// Resumes everything recorded and wakes the sender loop if needed.
    consuming func perform(wake: WakeSignal) {
        for (continuation, result) in resumptions {
            continuation.resume(with: result.mapError { $0 as any Error })
        }
        for continuation in flushed { continuation.resume() }
        if wakeSender { wake.signal() }
    }
}
