import PushDelivery

extension OTLPExportQueue: DeliveryQueue {
    /// Whether `stop(effects:)` was called.
    var isStopped: Bool { phase == .stopped }

    /// The batches to send now (see `takeBatches(effects:)`).
    mutating func takeJobs(effects: inout OTLPQueueEffects) -> [OTLPBatch] {
        takeBatches(effects: &effects)
    }

    /// Stops taking export requests (see `beginDraining()`).
    mutating func beginDraining(effects: inout OTLPQueueEffects) {
        beginDraining()
    }
}

extension OTLPQueueEffects: DeliveryEffects {}
