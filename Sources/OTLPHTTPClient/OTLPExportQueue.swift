import Logging
import OTLPCodec
import PushDelivery
import WriteAheadSpool

/// The order-keeping unit: one signal for one tenant. Its batches are sent one at a time.
struct OTLPLaneKey: Hashable, Sendable {
    /// The signal.
    let signal: OTLPSignal
    /// The tenant (`X-Scope-OrgID`), or `nil` for none.
    let tenant: String?
}

/// Export requests of one lane concatenated into one body, sealed and waiting to be sent (or
/// being sent).
struct OTLPBatch: Sendable {
    /// The order in which batches were sealed, across lanes; `flush()` waits on it.
    let sequence: UInt64
    /// Its signal and tenant.
    let key: OTLPLaneKey
    /// The concatenated protobuf of its export requests; for a batch in the spool, empty until
    /// it is read back to be sent.
    var body: ContiguousArray<UInt8>
    /// How many export requests it holds.
    let requests: Int
    /// The spool segment that holds its export requests, one record each; `nil` without a spool.
    let segment: SpoolSegmentID?
    /// The protobuf bytes of its export requests when known without reading them: always in
    /// memory, and in the spool when this client sealed it (not for a segment of an earlier run).
    let knownBytes: Int?
}

/// How a sender finished with a batch.
enum OTLPBatchOutcome: Sendable, Equatable {
    /// The receiver accepted it.
    case delivered
    /// The receiver refused it, or it still failed after the last retry.
    case failed
    /// The client stopped before it could finish: dropped as `shutdown`.
    case abandoned
}

/// What must happen once the queue's lock is released.
struct OTLPQueueEffects {
    /// Flushes to resume.
    var flushed: [CheckedContinuation<Void, Never>] = []
    /// Whether the sender loop has batches to take.
    var wakeSender = false

    /// Resumes the flushes and wakes the sender loop if needed.
    func perform(wake: WakeSignal) {
        for continuation in flushed { continuation.resume() }
        if wakeSender { wake.signal() }
    }
}

/// The client's state, behind its lock: each lane's open batch and sealed batches, the bytes
/// held, what is in flight and who waits for a flush.
struct OTLPExportQueue {
    /// Where the client is in its life.
    enum Phase: Equatable {
        /// Taking export requests.
        case running
        /// `shutdown()` began: sending what is held, taking nothing new.
        case draining
        /// Stopped: nothing more is sent.
        case stopped
    }

    /// One lane's batches.
    struct Lane {
        /// The batch being filled; with a spool it stays empty, its requests being in
        /// `openSegment`.
        var open = ContiguousArray<UInt8>()
        /// Export requests in the open batch.
        var openRequests = 0
        /// Their protobuf bytes.
        var openBytes = 0
        /// The spool segment the open batch's requests are written to.
        var openSegment: SpoolSegmentID? = nil
        /// When the open batch's first request came.
        var openedAt: ContinuousClock.Instant? = nil
        /// Sealed batches, oldest first.
        var sealed: [OTLPBatch] = []
        /// Whether one of its batches is being sent.
        var inFlight = false

        /// Whether it holds nothing and sends nothing.
        var isIdle: Bool { openRequests == 0 && sealed.isEmpty && !inFlight }

        /// Adds `request` to the open batch in memory, sealing that batch first when the request
        /// would make it exceed `maximumBatchBytes`, and after when it reaches it; sealed batches
        /// are numbered from `nextSequence` on, which moves past them. Returns how many it sealed.
        ///
        /// The queue calls it in place (`lanes[key]!.add…`): one look-up of the lane, and no copy
        /// of it, whose arrays a copy would retain and, once written, copy again.
        mutating func addInMemory(
            _ request: ContiguousArray<UInt8>, key: OTLPLaneKey, maximumBatchBytes: Int, now: ContinuousClock.Instant,
            nextSequence: inout UInt64
        ) -> Int {
            var sealedCount = 0
            if openRequests > 0, openBytes + request.count > maximumBatchBytes, sealOpen(key: key, as: nextSequence) != nil {
                nextSequence += 1
                sealedCount += 1
            }
            if open.isEmpty {
                open = request  // shares the caller's storage: no copy
            } else {
                open.append(contentsOf: request)
            }
            openRequests += 1
            openBytes += request.count
            if openedAt == nil { openedAt = now }
            if openBytes >= maximumBatchBytes, sealOpen(key: key, as: nextSequence) != nil {
                nextSequence += 1
                sealedCount += 1
            }
            return sealedCount
        }

        /// Moves the open batch, if it holds requests, to the end of `sealed` as batch `sequence`,
        /// and returns what its spool segment is; nil if nothing was open.
        mutating func sealOpen(key: OTLPLaneKey, as sequence: UInt64) -> SealedOpenBatch? {
            guard openRequests > 0 else { return nil }
            let segment = openSegment
            sealed.append(
                OTLPBatch(sequence: sequence, key: key, body: open, requests: openRequests, segment: segment, knownBytes: openBytes))
            open = []
            openRequests = 0
            openBytes = 0
            openSegment = nil
            openedAt = nil
            return SealedOpenBatch(segment: segment)
        }
    }

    /// A lane's open batch as it was sealed.
    struct SealedOpenBatch {
        /// The spool segment its requests were written to, to be closed; nil without a spool.
        let segment: SpoolSegmentID?
    }

    private(set) var phase = Phase.running
    private let maximumBatchBytes: Int
    private let maximumBufferedBytes: Int
    private let batchWait: Duration
    private let maximumConcurrentSends: Int
    private let metrics: OTLPExporterMetrics
    /// Where export requests are written before they are taken, and kept until they are sent.
    private let spool: WriteAheadSpool?
    private let logger: Logger
    private var lanes: [OTLPLaneKey: Lane] = [:]
    /// Lanes in the order they were made, for fair turns.
    private var laneOrder: [OTLPLaneKey] = []
    /// Where the next round of `takeBatches` starts in `laneOrder`.
    private var nextTurn = 0
    /// Protobuf bytes held in memory: open, sealed and in-flight batches (with a spool, only
    /// those read back to be sent).
    private(set) var bufferedBytes = 0
    private var inFlight = 0
    private var nextSequence: UInt64 = 0
    /// Sealed batches not yet finished.
    private var unfinished: Set<UInt64> = []
    private var flushWaiters: [(id: UInt64, upTo: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    private var nextWaiterID: UInt64 = 0

    /// A queue with the limits of `configuration`; with `spool`, the batches that an earlier run
    /// left in it are queued first.
    init(configuration: OTLPHTTPClientConfiguration, metrics: OTLPExporterMetrics, spool: WriteAheadSpool?, logger: Logger) {
        maximumBatchBytes = max(configuration.maximumBatchBytes, 1)
        maximumBufferedBytes = max(configuration.maximumBufferedBytes, 1)
        batchWait = configuration.batchWait
        maximumConcurrentSends = max(configuration.maximumConcurrentSends, 1)
        self.metrics = metrics
        self.spool = spool
        self.logger = logger
        recoverSpool()
    }

    // MARK: Taking requests

    /// Adds `request` to its lane's open batch (sealing the batch first when the request would
    /// make it exceed `maximumBatchBytes`, and after when it reaches it). With a spool the
    /// request is written to the lane's segment instead of memory, and the spool's bound
    /// replaces the memory's: when it is full, the oldest batches not in flight are dropped to
    /// make room.
    mutating func enqueue(
        _ request: ContiguousArray<UInt8>, key: OTLPLaneKey, now: ContinuousClock.Instant, effects: inout OTLPQueueEffects
    ) throws(OTLPExportError) {
        guard phase == .running else { throw .shutDown }
        guard !request.isEmpty else { return }
        guard request.count <= maximumBufferedBytes else {
            metrics[key.signal].dropped(requests: 1, bytes: request.count, reason: .tooLarge)
            throw .requestTooLarge(bytes: request.count, limit: maximumBufferedBytes)
        }
        guard spool != nil || request.count <= maximumBufferedBytes - bufferedBytes else {
            metrics[key.signal].dropped(requests: 1, bytes: request.count, reason: .bufferFull)
            throw .bufferFull(requestBytes: request.count, bufferedBytes: bufferedBytes, limit: maximumBufferedBytes)
        }
        // `index(forKey:)`, not `lanes[key] == nil`, which would copy the lane to compare it.
        if lanes.index(forKey: key) == nil {
            lanes[key] = Lane()
            laneOrder.append(key)
        }
        guard spool != nil else {
            let firstSealed = nextSequence
            let sealedCount = lanes[key]!.addInMemory(
                request, key: key, maximumBatchBytes: maximumBatchBytes, now: now, nextSequence: &nextSequence)
            bufferedBytes += request.count
            if sealedCount > 0 {
                for sequence in firstSealed..<firstSealed + UInt64(sealedCount) { unfinished.insert(sequence) }
                effects.wakeSender = true
            }
            updateGauges()
            return
        }
        if lanes[key]!.openRequests > 0, lanes[key]!.openBytes + request.count > maximumBatchBytes {
            seal(key, effects: &effects)
        }
        try writeToSpool(request, key: key, effects: &effects)
        lanes[key]!.openRequests += 1
        lanes[key]!.openBytes += request.count
        if lanes[key]!.openedAt == nil { lanes[key]!.openedAt = now }
        if lanes[key]!.openBytes >= maximumBatchBytes { seal(key, effects: &effects) }
        updateGauges()
    }

    /// Seals the open batch of `key`, if any.
    private mutating func seal(_ key: OTLPLaneKey, effects: inout OTLPQueueEffects) {
        guard let sealed = lanes[key]?.sealOpen(key: key, as: nextSequence) else { return }
        if let spool, let segment = sealed.segment {
            do {
                try spool.seal(segment)
            } catch {
                // The records are written; only closing the file failed. Sending reads them back.
                logger.error("OTLP export spool: sealing a segment failed", metadata: ["error": "\(error)"])
            }
        }
        unfinished.insert(nextSequence)
        nextSequence += 1
        effects.wakeSender = true
    }

    // MARK: Spool

    /// Appends `request` as one record to the lane's open segment (created if it has none),
    /// dropping the oldest batches not in flight while the spool is full.
    private mutating func writeToSpool(
        _ request: ContiguousArray<UInt8>, key: OTLPLaneKey, effects: inout OTLPQueueEffects
    ) throws(OTLPExportError) {
        guard let spool else { return }
        var open = lanes[key]!.openSegment
        let result = request.withUnsafeBytes { bytes in
            Result { () throws(SpoolError) in
                try spool.append(bytes, toOpen: &open, label: key.spoolLabel) { dropOldestSpooledBatch(effects: &effects) }
            }
        }
        lanes[key]!.openSegment = open
        switch result {
        case .success:
            return
        case .failure(.full):
            metrics[key.signal].dropped(requests: 1, bytes: request.count, reason: .spoolFull)
            throw .spoolFull(requestBytes: request.count, limit: spool.configuration.maximumBytes)
        case .failure(let error):
            throw .spool(error)
        }
    }

    /// Drops the oldest sealed batch that is not in flight, counting it as `spool_full`;
    /// `false` if there is none.
    private mutating func dropOldestSpooledBatch(effects: inout OTLPQueueEffects) -> Bool {
        var oldest: (key: OTLPLaneKey, sequence: UInt64)? = nil
        for key in laneOrder {
            guard let first = lanes[key]?.sealed.first else { continue }
            if oldest == nil || first.sequence < oldest!.sequence { oldest = (key, first.sequence) }
        }
        guard let key = oldest?.key else { return false }
        let batch = lanes[key]!.sealed.removeFirst()
        let bytes = batch.knownBytes ?? batch.segment.map(spooledBytes) ?? 0
        metrics[key.signal].dropped(requests: batch.requests, bytes: bytes, reason: .spoolFull)
        logger.warning(
            "OTLP export spool full: dropped the oldest batch",
            metadata: [
                "signal": "\(key.signal.label)", "tenant": "\(key.tenant ?? "")", "requests": "\(batch.requests)", "bytes": "\(bytes)",
            ])
        if let segment = batch.segment { removeSegment(segment) }
        unfinished.remove(batch.sequence)
        resumeFinishedFlushes(effects: &effects)
        return true
    }

    /// Queues the batches of the segments the spool recovered, oldest first, without reading
    /// them: they are read when sent. Segments without records (a crash right after one was
    /// created) and segments of labels this client does not write are removed.
    private mutating func recoverSpool() {
        guard let spool else { return }
        var recovered = 0
        for segment in spool.segments {
            guard segment.recordCount > 0, let key = OTLPLaneKey(spoolLabel: segment.label) else {
                if segment.recordCount > 0 {
                    logger.error("OTLP export spool: a segment of an unknown label is removed", metadata: ["label": "\(segment.label)"])
                }
                removeSegment(segment.id)
                continue
            }
            if lanes[key] == nil {
                lanes[key] = Lane()
                laneOrder.append(key)
            }
            let batch = OTLPBatch(
                sequence: nextSequence, key: key, body: [], requests: segment.recordCount, segment: segment.id, knownBytes: nil)
            nextSequence += 1
            unfinished.insert(batch.sequence)
            lanes[key]!.sealed.append(batch)
            recovered += 1
        }
        if recovered > 0 { logger.info("OTLP export spool: replaying batches from disk", metadata: ["batches": "\(recovered)"]) }
        updateGauges()
    }

    /// The concatenated export requests of a spooled segment.
    private func readSpooled(_ segment: SpoolSegmentID) throws(SpoolError) -> ContiguousArray<UInt8> {
        var body = ContiguousArray<UInt8>()
        guard let spool else { return body }
        let records = try spool.records(in: segment)
        body.reserveCapacity(records.reduce(0) { $0 + $1.count })
        for record in records { body.append(contentsOf: record) }
        return body
    }

    /// The protobuf bytes of a spooled segment, read from disk (0 when it cannot be read): for a
    /// segment of an earlier run, whose size this client does not know.
    private func spooledBytes(_ segment: SpoolSegmentID) -> Int {
        (try? spool?.records(in: segment).reduce(0) { $0 + $1.count }) ?? 0
    }

    /// Removes a segment from the spool, logging a failure (the file then stays and is sent
    /// once more after a restart).
    private mutating func removeSegment(_ segment: SpoolSegmentID) {
        do {
            try spool?.remove(segment)
        } catch {
            logger.error("OTLP export spool: removing a segment failed", metadata: ["error": "\(error)"])
        }
    }

    /// Sets the gauges.
    private func updateGauges() {
        metrics.queueBytes.record(bufferedBytes)
        if let spool { metrics.spoolBytes.record(spool.byteCount) }
    }

    /// Seals the open batches that are `batchWait` old.
    mutating func sealAgedBatches(now: ContinuousClock.Instant, effects: inout OTLPQueueEffects) {
        for key in laneOrder {
            if let openedAt = lanes[key]?.openedAt, now - openedAt >= batchWait { seal(key, effects: &effects) }
        }
    }

    // MARK: Sending

    /// The batches to send now: the oldest of each lane that has none in flight, lanes taking
    /// turns, within `maximumConcurrentSends`. A spooled batch is read back here; one that
    /// cannot be read is dropped (`unreadable_spool`) and its segment removed.
    mutating func takeBatches(effects: inout OTLPQueueEffects) -> [OTLPBatch] {
        guard phase != .stopped, !laneOrder.isEmpty else { return [] }
        var taken: [OTLPBatch] = []
        let count = laneOrder.count
        let start = nextTurn % count
        for offset in 0..<count where inFlight < maximumConcurrentSends {
            let key = laneOrder[(start + offset) % count]
            guard var lane = lanes[key], !lane.inFlight, !lane.sealed.isEmpty else { continue }
            var batch = lane.sealed.removeFirst()
            if let segment = batch.segment {
                do {
                    batch.body = try readSpooled(segment)
                } catch {
                    logger.error(
                        "OTLP export spool: a batch could not be read back", metadata: ["segment": "\(segment)", "error": "\(error)"])
                    metrics[key.signal].dropped(requests: batch.requests, bytes: 0, reason: .unreadableSpool)
                    removeSegment(segment)
                    unfinished.remove(batch.sequence)
                    lanes[key] = lane
                    resumeFinishedFlushes(effects: &effects)
                    continue
                }
                bufferedBytes += batch.body.count
            }
            taken.append(batch)
            lane.inFlight = true
            lanes[key] = lane
            inFlight += 1
            nextTurn = (start + offset + 1) % count
        }
        updateGauges()
        return taken
    }

    /// Records how `batch` finished: frees its bytes, its segment and its lane, counts it,
    /// resumes the flushes it completes. An abandoned batch in the spool stays there for the
    /// next start.
    mutating func finish(_ batch: OTLPBatch, outcome: OTLPBatchOutcome, effects: inout OTLPQueueEffects) {
        let metrics = self.metrics[batch.key.signal]
        switch outcome {
        case .delivered:
            metrics.sentRequests.increment(by: batch.requests)
            metrics.sentBytes.increment(by: batch.body.count)
        case .failed:
            metrics.failedRequests.increment(by: batch.requests)
            metrics.failedBytes.increment(by: batch.body.count)
        case .abandoned:
            if batch.segment == nil { metrics.dropped(requests: batch.requests, bytes: batch.body.count, reason: .shutdown) }
        }
        if outcome != .abandoned, let segment = batch.segment { removeSegment(segment) }
        bufferedBytes -= batch.body.count
        inFlight -= 1
        unfinished.remove(batch.sequence)
        lanes[batch.key]?.inFlight = false
        if lanes[batch.key]?.isIdle == true {
            lanes[batch.key] = nil
            laneOrder.removeAll { $0 == batch.key }
        }
        resumeFinishedFlushes(effects: &effects)
        effects.wakeSender = true
        updateGauges()
    }

    // MARK: Flushing and stopping

    /// A new identifier for a flush waiter.
    mutating func makeWaiterID() -> UInt64 {
        defer { nextWaiterID += 1 }
        return nextWaiterID
    }

    /// Seals every open batch; returns `true` when nothing is unfinished, otherwise keeps
    /// `continuation` to be resumed when every batch sealed up to now has finished.
    mutating func flush(
        waiterID: UInt64, continuation: CheckedContinuation<Void, Never>, effects: inout OTLPQueueEffects
    ) -> Bool {
        for key in laneOrder { seal(key, effects: &effects) }
        guard !unfinished.isEmpty, phase != .stopped else { return true }
        flushWaiters.append((waiterID, nextSequence - 1, continuation))
        return false
    }

    /// Removes a flush waiter (its task was cancelled), returning it to be resumed.
    mutating func cancelFlush(_ id: UInt64) -> CheckedContinuation<Void, Never>? {
        guard let index = flushWaiters.firstIndex(where: { $0.id == id }) else { return nil }
        return flushWaiters.remove(at: index).continuation
    }

    /// Resumes the flushes whose batches have all finished.
    private mutating func resumeFinishedFlushes(effects: inout OTLPQueueEffects) {
        let lowest = unfinished.min() ?? .max
        flushWaiters.removeAll { waiter in
            guard waiter.upTo < lowest else { return false }
            effects.flushed.append(waiter.continuation)
            return true
        }
    }

    /// Stops taking export requests.
    mutating func beginDraining() {
        if phase == .running { phase = .draining }
    }

    /// Stops sending: batches in memory not in flight are dropped and counted (`shutdown`);
    /// batches in flight are counted when their senders, cancelled, report them; what the spool
    /// holds stays there for the next start. Every flush is resumed.
    mutating func stop(effects: inout OTLPQueueEffects) {
        phase = .stopped
        for key in laneOrder {
            guard var lane = lanes[key] else { continue }
            let metrics = self.metrics[key.signal]
            for batch in lane.sealed {
                if batch.segment == nil { metrics.dropped(requests: batch.requests, bytes: batch.body.count, reason: .shutdown) }
                bufferedBytes -= batch.body.count
                unfinished.remove(batch.sequence)
            }
            if lane.openRequests > 0, lane.openSegment == nil {
                metrics.dropped(requests: lane.openRequests, bytes: lane.openBytes, reason: .shutdown)
            }
            bufferedBytes -= lane.open.count
            lane.sealed.removeAll()
            lane.open = []
            lane.openRequests = 0
            lane.openBytes = 0
            lane.openSegment = nil
            lane.openedAt = nil
            lanes[key] = lane
        }
        for waiter in flushWaiters { effects.flushed.append(waiter.continuation) }
        flushWaiters.removeAll()
        updateGauges()
    }
}
