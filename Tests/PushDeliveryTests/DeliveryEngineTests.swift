import PushDelivery
import Testing

/// The sender loop, flushes and shutdown, driving a queue of numbered jobs.
@Suite(.timeLimit(.minutes(1)))
struct DeliveryEngineTests {
    /// One lane of numbered jobs: what `DeliveryEngine` needs of a queue and no more.
    struct NumberQueue: DeliveryQueue {
        /// Flushes to resume, and whether the sender loop has jobs to take.
        struct Effects: DeliveryEffects {
            var flushed: [CheckedContinuation<Void, Never>] = []
            var wakeSender = false

            func perform(wake: WakeSignal) {
                for continuation in flushed { continuation.resume() }
                if wakeSender { wake.signal() }
            }
        }

        private(set) var isStopped = false
        private(set) var isDraining = false
        /// Jobs finished, in the order they finished.
        private(set) var delivered: [Int] = []
        private var waiting: [Int] = []
        private var unfinished: Set<Int> = []
        private var flushWaiters: [(id: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
        private var nextWaiterID: UInt64 = 0

        /// Queues job `number`.
        mutating func add(_ number: Int, effects: inout Effects) {
            waiting.append(number)
            unfinished.insert(number)
            effects.wakeSender = true
        }

        /// Records that job `number` finished.
        mutating func finish(_ number: Int, effects: inout Effects) {
            delivered.append(number)
            unfinished.remove(number)
            if unfinished.isEmpty { stopFlushes(effects: &effects) }
        }

        mutating func takeJobs(effects: inout Effects) -> [Int] {
            defer { waiting.removeAll() }
            return isStopped ? [] : waiting
        }

        mutating func sealAgedBatches(now: ContinuousClock.Instant, effects: inout Effects) {}

        mutating func makeWaiterID() -> UInt64 {
            defer { nextWaiterID += 1 }
            return nextWaiterID
        }

        mutating func flush(waiterID: UInt64, continuation: CheckedContinuation<Void, Never>, effects: inout Effects) -> Bool {
            guard !unfinished.isEmpty, !isStopped else { return true }
            flushWaiters.append((waiterID, continuation))
            return false
        }

        mutating func cancelFlush(_ id: UInt64) -> CheckedContinuation<Void, Never>? {
            guard let index = flushWaiters.firstIndex(where: { $0.id == id }) else { return nil }
            return flushWaiters.remove(at: index).continuation
        }

        mutating func beginDraining(effects: inout Effects) {
            isDraining = true
        }

        mutating func stop(effects: inout Effects) {
            isStopped = true
            stopFlushes(effects: &effects)
        }

        /// Hands every flush waiter to `effects`.
        private mutating func stopFlushes(effects: inout Effects) {
            effects.flushed += flushWaiters.map(\.continuation)
            flushWaiters.removeAll()
        }
    }

    @Test("jobs are handed to senders as they come; flush waits for them; shutdown stops run")
    func deliversFlushesAndStops() async {
        let engine = DeliveryEngine(queue: NumberQueue())
        let sender = Task {
            await engine.run(batchWait: .milliseconds(10)) { number in
                engine.withQueue { queue, effects in queue.finish(number, effects: &effects) }
            }
        }
        for number in 1...5 {
            engine.withQueue { queue, effects in queue.add(number, effects: &effects) }
        }
        await engine.flush()
        #expect(Set(engine.withQueue { queue, _ in queue.delivered }) == Set(1...5))
        await engine.shutdown(drainTimeout: .seconds(5))
        await sender.value
        #expect(engine.withQueue { queue, _ in (queue.isDraining, queue.isStopped) } == (true, true))
    }

    @Test("without run, shutdown drains for at most drainTimeout; run after it returns at once")
    func shutdownWithoutRun() async {
        let engine = DeliveryEngine(queue: NumberQueue())
        engine.withQueue { queue, effects in queue.add(1, effects: &effects) }
        let start = ContinuousClock.now
        await engine.shutdown(drainTimeout: .milliseconds(50))
        #expect(ContinuousClock.now - start >= .milliseconds(50))
        await engine.run(batchWait: .milliseconds(10)) { _ in Issue.record("sent after shutdown") }
        #expect(engine.withQueue { queue, _ in queue.delivered }.isEmpty)
    }

    @Test("a throwing body still has its effects performed, and its error is rethrown")
    func effectsOnThrow() async {
        struct Refused: Error {}
        let engine = DeliveryEngine(queue: NumberQueue())
        #expect(throws: Refused.self) {
            try engine.withQueue { (queue, effects) throws(Refused) in
                queue.add(1, effects: &effects)
                throw Refused()
            }
        }
        let sender = Task { await engine.run(batchWait: .milliseconds(10)) { number in
            engine.withQueue { queue, effects in queue.finish(number, effects: &effects) }
        } }
        await engine.flush()
        #expect(engine.withQueue { queue, _ in queue.delivered } == [1])
        await engine.shutdown(drainTimeout: .seconds(5))
        await sender.value
    }
}
