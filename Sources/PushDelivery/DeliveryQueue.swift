/// The state of a push client that a `DeliveryEngine` drives, kept behind the engine's lock:
/// batches sealed by size or age, taken for sending one lane at a time, flushed, drained and
/// stopped. Its methods never suspend; what must happen outside the lock is collected in
/// `Effects`.
package protocol DeliveryQueue: ~Copyable, SendableMetatype {
    /// One batch handed to a sender, with what the sender needs of the queue's state.
    associatedtype Job: Sendable
    /// What the queue's methods ask to be done once the lock is released.
    associatedtype Effects: DeliveryEffects & Sendable

    /// Whether `stop(effects:)` was called: nothing more is sent.
    var isStopped: Bool { get }

    /// The batches to send now, marked in flight; each is reported back to the queue by the
    /// sender that takes it.
    mutating func takeJobs(effects: inout Effects) -> [Job]

    /// Seals the open batches that have waited the batch wait by `now`.
    mutating func sealAgedBatches(now: ContinuousClock.Instant, effects: inout Effects)

    /// A new identifier for a flush waiter.
    mutating func makeWaiterID() -> UInt64

    /// Seals every open batch; returns `true` when nothing sealed is left unfinished, otherwise
    /// keeps `continuation` to be resumed once every batch sealed so far has finished.
    mutating func flush(waiterID: UInt64, continuation: CheckedContinuation<Void, Never>, effects: inout Effects) -> Bool

    /// Removes the flush waiter `id` (its task was cancelled), returning it to be resumed.
    mutating func cancelFlush(_ id: UInt64) -> CheckedContinuation<Void, Never>?

    /// Stops taking data; what is held is still sent.
    mutating func beginDraining(effects: inout Effects)

    /// Stops sending: what is not in flight is given up, and every flush is resumed.
    mutating func stop(effects: inout Effects)
}
