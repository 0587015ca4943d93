import OTLPCodec
import PushDelivery

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
    /// The concatenated protobuf of its export requests.
    let body: ContiguousArray<UInt8>
    /// How many export requests it holds.
    let requests: Int
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
        /// The batch being filled.
        var open = ContiguousArray<UInt8>()
        /// Export requests in `open`.
        var openRequests = 0
        /// When `open`'s first request came.
        var openedAt: ContinuousClock.Instant? = nil
        /// Sealed batches, oldest first.
        var sealed: [OTLPBatch] = []
        /// Whether one of its batches is being sent.
        var inFlight = false

        /// Whether it holds nothing and sends nothing.
        var isIdle: Bool { open.isEmpty && sealed.isEmpty && !inFlight }
    }

    private(set) var phase = Phase.running
    private let maximumBatchBytes: Int
    private let maximumBufferedBytes: Int
    private let batchWait: Duration
    private let maximumConcurrentSends: Int
    private let metrics: OTLPExporterMetrics
    private var lanes: [OTLPLaneKey: Lane] = [:]
    /// Lanes in the order they were made, for fair turns.
    private var laneOrder: [OTLPLaneKey] = []
    /// Where the next round of `takeBatches` starts in `laneOrder`.
    private var nextTurn = 0
    /// Protobuf bytes held: open, sealed and in-flight batches.
    private(set) var bufferedBytes = 0
    private var inFlight = 0
    private var nextSequence: UInt64 = 0
    /// Sealed batches not yet finished.
    private var unfinished: Set<UInt64> = []
    private var flushWaiters: [(id: UInt64, upTo: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    private var nextWaiterID: UInt64 = 0

    /// An empty queue with the limits of `configuration`.
    init(configuration: OTLPHTTPClientConfiguration, metrics: OTLPExporterMetrics) {
        maximumBatchBytes = max(configuration.maximumBatchBytes, 1)
        maximumBufferedBytes = max(configuration.maximumBufferedBytes, 1)
        batchWait = configuration.batchWait
        maximumConcurrentSends = max(configuration.maximumConcurrentSends, 1)
        self.metrics = metrics
    }

    // MARK: Taking requests

    /// Adds `request` to its lane's open batch (sealing the batch first when the request would
    /// make it exceed `maximumBatchBytes`, and after when it reaches it).
    mutating func enqueue(
        _ request: ContiguousArray<UInt8>, key: OTLPLaneKey, now: ContinuousClock.Instant, effects: inout OTLPQueueEffects
    ) throws(OTLPExportError) {
        guard phase == .running else { throw .shutDown }
        guard !request.isEmpty else { return }
        guard request.count <= maximumBufferedBytes else {
            metrics[key.signal].dropped(requests: 1, bytes: request.count, reason: .tooLarge)
            throw .requestTooLarge(bytes: request.count, limit: maximumBufferedBytes)
        }
        guard request.count <= maximumBufferedBytes - bufferedBytes else {
            metrics[key.signal].dropped(requests: 1, bytes: request.count, reason: .bufferFull)
            throw .bufferFull(requestBytes: request.count, bufferedBytes: bufferedBytes, limit: maximumBufferedBytes)
        }
        if lanes[key] == nil {
            lanes[key] = Lane()
            laneOrder.append(key)
        }
        if let open = lanes[key]?.open, !open.isEmpty, open.count + request.count > maximumBatchBytes {
            seal(key, effects: &effects)
        }
        if lanes[key]!.open.isEmpty {
            lanes[key]!.open = request  // shares the caller's storage: no copy
        } else {
            lanes[key]!.open.append(contentsOf: request)
        }
        lanes[key]!.openRequests += 1
        if lanes[key]!.openedAt == nil { lanes[key]!.openedAt = now }
        bufferedBytes += request.count
        if lanes[key]!.open.count >= maximumBatchBytes { seal(key, effects: &effects) }
        metrics.queueBytes.record(bufferedBytes)
    }

    /// Seals the open batch of `key`, if any.
    private mutating func seal(_ key: OTLPLaneKey, effects: inout OTLPQueueEffects) {
        guard var lane = lanes[key], !lane.open.isEmpty else { return }
        let batch = OTLPBatch(sequence: nextSequence, key: key, body: lane.open, requests: lane.openRequests)
        nextSequence += 1
        unfinished.insert(batch.sequence)
        lane.open = []
        lane.openRequests = 0
        lane.openedAt = nil
        lane.sealed.append(batch)
        lanes[key] = lane
        effects.wakeSender = true
    }

    /// Seals the open batches that are `batchWait` old.
    mutating func sealAgedBatches(now: ContinuousClock.Instant, effects: inout OTLPQueueEffects) {
        for key in laneOrder {
            if let openedAt = lanes[key]?.openedAt, now - openedAt >= batchWait { seal(key, effects: &effects) }
        }
    }

    // MARK: Sending

    /// The batches to send now: the oldest of each lane that has none in flight, lanes taking
    /// turns, within `maximumConcurrentSends`.
    mutating func takeBatches() -> [OTLPBatch] {
        guard phase != .stopped, !laneOrder.isEmpty else { return [] }
        var taken: [OTLPBatch] = []
        let count = laneOrder.count
        let start = nextTurn % count
        for offset in 0..<count where inFlight < maximumConcurrentSends {
            let key = laneOrder[(start + offset) % count]
            guard var lane = lanes[key], !lane.inFlight, !lane.sealed.isEmpty else { continue }
            taken.append(lane.sealed.removeFirst())
            lane.inFlight = true
            lanes[key] = lane
            inFlight += 1
            nextTurn = (start + offset + 1) % count
        }
        return taken
    }

    /// Records how `batch` finished: frees its bytes and its lane, counts it, resumes the
    /// flushes it completes.
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
            metrics.dropped(requests: batch.requests, bytes: batch.body.count, reason: .shutdown)
        }
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
        self.metrics.queueBytes.record(bufferedBytes)
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

    /// Stops sending: batches not in flight are dropped and counted (`shutdown`); batches in
    /// flight are counted when their senders, cancelled, report them. Every flush is resumed.
    mutating func stop(effects: inout OTLPQueueEffects) {
        phase = .stopped
        for key in laneOrder {
            guard var lane = lanes[key] else { continue }
            let metrics = self.metrics[key.signal]
            for batch in lane.sealed {
                metrics.dropped(requests: batch.requests, bytes: batch.body.count, reason: .shutdown)
                bufferedBytes -= batch.body.count
                unfinished.remove(batch.sequence)
            }
            if !lane.open.isEmpty {
                metrics.dropped(requests: lane.openRequests, bytes: lane.open.count, reason: .shutdown)
                bufferedBytes -= lane.open.count
            }
            lane.sealed.removeAll()
            lane.open = []
            lane.openRequests = 0
            lane.openedAt = nil
            lanes[key] = lane
        }
        for waiter in flushWaiters { effects.flushed.append(waiter.continuation) }
        flushWaiters.removeAll()
        metrics.queueBytes.record(bufferedBytes)
    }
}
