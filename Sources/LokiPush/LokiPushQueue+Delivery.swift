import PushDelivery

extension LokiPushQueue: DeliveryQueue {
    /// Whether `stop(effects:)` was called.
    var isStopped: Bool { phase == .stopped }

    /// Seals every open batch and queues `continuation` until every batch sealed so far is
    /// delivered or dropped (see `flush(waiterID:continuation:effects:)`).
    mutating func flush(waiterID: UInt64, continuation: CheckedContinuation<Void, Never>, effects: inout QueueEffects) -> Bool {
        flush(waiterID: waiterID, continuation: .some(continuation), effects: &effects)
    }
}

extension QueueEffects: DeliveryEffects {}
