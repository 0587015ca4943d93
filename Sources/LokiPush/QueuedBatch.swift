import LokiPushCodec
import WriteAheadSpool

/// A tenant's batch that is sealed and waits to be sent (or is being sent).
struct QueuedBatch: Sendable {
    /// Where the entries are.
    enum Content: Sendable {
        /// In memory, counted in the client's buffered bytes until it is finished.
        case memory(LokiBatch)
        /// In a sealed segment of the spool, read back when it is sent.
        case spooled(SpoolSegmentID)
    }

    /// The order in which batches were sealed, across tenants; `flush()` waits on it.
    let sequence: UInt64
    /// The tenant (`""` for none).
    let tenant: String
    /// The entries.
    let content: Content
    /// How many entries the batch holds.
    let entryCount: Int
    /// Its entry bytes, counted as `LokiBatch.byteCount` counts them.
    let byteCount: Int
}

/// One batch handed to a sender, with what the sender needs of the client's state.
struct DeliveryJob: Sendable {
    /// The batch.
    let batch: QueuedBatch
    /// For a spooled batch, the records (uncompressed `PushRequest`s) read back from its segment.
    let records: SpoolRecords?
    /// The tenant's metrics.
    let metrics: LokiPushMetrics
}

/// How a sender finished with a batch.
enum DeliveryOutcome: Sendable, Equatable {
    /// Loki confirmed it.
    case delivered
    /// The client gave up on it.
    case dropped(LokiDropReason)
    /// The client stopped before it could finish: a spooled batch stays on disk for the next
    /// start; a batch in memory is dropped as `shutdown`.
    case abandoned
}
