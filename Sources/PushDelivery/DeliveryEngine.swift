package import Synchronization
import TokenBucket

/// The sending side of a push client: owns its `DeliveryQueue` behind a lock and runs the sender
/// loop (taking the batches the queue releases and handing each to a sender task), the timer
/// that seals batches by age, flushes, and the drain at shutdown.
///
/// ```swift
/// let engine = DeliveryEngine(queue: queue)
/// try engine.withQueue { queue, effects in try queue.enqueue(request, effects: &effects) }
/// let sender = Task { await engine.run(batchWait: .seconds(1)) { job in await send(job) } }
/// await engine.shutdown(drainTimeout: .seconds(30))
/// ```
package final class DeliveryEngine<Queue: DeliveryQueue & ~Copyable>: Sendable {
    /// Whether `run` is running or has run, and the `shutdown` calls waiting for it to return.
    private struct RunState {
        var running = false
        var finished = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The queue, behind its lock.
    @usableFromInline let queue: Mutex<Queue>
    /// Wakes the sender loop when the queue has batches to take.
    @usableFromInline let wake = WakeSignal()
    private let runState = Mutex(RunState())

    /// An engine sending the batches of `queue`.
    package init(queue: consuming sending Queue) {
        self.queue = Mutex(queue)
    }

    /// Runs `body` on the queue under its lock, then performs the effects it collected (also
    /// when `body` throws).
    @inlinable
    package func withQueue<Value: Sendable, Failure: Error>(
        _ body: (inout Queue, inout Queue.Effects) throws(Failure) -> Value
    ) throws(Failure) -> Value {
        var effects = Queue.Effects()
        // Typed throws through the lock rather than a `Result`: the clients' calls run unspecialized,
        // and a `Result<Value, Failure>` had its metadata looked up on each call.
        defer { effects.perform(wake: wake) }
        return try queue.withLock { (queue: inout sending Queue) throws(Failure) -> Value in try body(&queue, &effects) }
    }

    /// Sends batches until `shutdown(drainTimeout:)` has drained the queue or the task is
    /// cancelled (which stops at once: senders are cancelled and report their jobs abandoned).
    /// Each job the queue releases is handed to `deliver` in a task of its own, which must
    /// report it back to the queue; open batches are sealed as they reach `batchWait`. Runs
    /// once: later calls return at once.
    package func run(batchWait: Duration, deliver: @escaping @Sendable (Queue.Job) async -> Void) async {
        let alreadyRan = runState.withLock { state -> Bool in
            defer { state.running = true }
            return state.running || state.finished
        }
        guard !alreadyRan else { return }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.sealAgedBatches(batchWait: batchWait) }
            while true {
                let (jobs, stopped) = withQueue { queue, effects in (queue.takeJobs(effects: &effects), queue.isStopped) }
                // A job taken is always handed to a sender, even when stopping: a cancelled
                // sender reports it abandoned at once, so that the queue accounts for it.
                for job in jobs {
                    group.addTask { await deliver(job) }
                }
                if stopped || Task.isCancelled { break }
                await wake.wait()
            }
            group.cancelAll()
        }
        withQueue { queue, effects in queue.stop(effects: &effects) }
        let waiters = runState.withLock { state in
            state.running = false
            state.finished = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Seals batches as they reach `batchWait`, checking ten times per `batchWait` (at most
    /// every millisecond), until cancelled.
    private func sealAgedBatches(batchWait: Duration) async {
        let tick = Duration.nanoseconds(max(batchWait.nanoseconds / 10, 1_000_000))
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: tick)
            } catch {
                return
            }
            withQueue { queue, effects in queue.sealAgedBatches(now: .now, effects: &effects) }
        }
    }

    /// Seals every open batch and returns when every batch sealed so far has finished (or when
    /// the task is cancelled). Batches are sent by `run`: without it running, this waits until
    /// cancelled.
    package func flush() async {
        let id = withQueue { queue, _ in queue.makeWaiterID() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = withQueue { queue, effects in
                    Task.isCancelled || queue.flush(waiterID: id, continuation: continuation, effects: &effects)
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            withQueue { queue, _ in queue.cancelFlush(id) }?.resume()
        }
    }

    /// Stops the queue taking data, sends what it holds for at most `drainTimeout`, then stops
    /// it and `run`, and returns once `run` has returned (at once if it is not running).
    package func shutdown(drainTimeout: Duration) async {
        withQueue { queue, effects in queue.beginDraining(effects: &effects) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.flush() }
            group.addTask { try? await Task.sleep(for: drainTimeout) }
            await group.next()
            group.cancelAll()
        }
        withQueue { queue, effects in queue.stop(effects: &effects) }
        wake.signal()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = runState.withLock { state -> Bool in
                guard state.running else { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
