import LokiPushCodec
import WriteAheadSpool

/// How many entries a batch holds and their bytes, as `LokiBatch.byteCount` counts them: what
/// the sent and dropped metrics count.
struct BatchSize: Sendable, Equatable {
    /// The entries.
    var entries: Int
    /// Their bytes.
    var bytes: Int

    /// No entries.
    static let zero = BatchSize(entries: 0, bytes: 0)
}

extension LokiBatch {
    /// Its entries and their bytes.
    var size: BatchSize { BatchSize(entries: entryCount, bytes: byteCount) }
}

/// A tenant's batch that is sealed and waits to be sent (or is being sent).
struct QueuedBatch: Sendable {
    /// Where the entries are.
    enum Content: Sendable {
        /// In memory, counted in the client's buffered bytes until it is finished.
        case memory(LokiBatch)
        /// In a sealed segment of the spool, read back when it is sent; its size is known when
        /// this client sealed it, and not for a segment recovered from an earlier run until it
        /// is read.
        case spooled(SpoolSegmentID, size: BatchSize?)
    }

    /// The order in which batches were sealed, across tenants; `flush()` waits on it.
    let sequence: UInt64
    /// The tenant (`""` for none).
    let tenant: String
    /// The entries.
    let content: Content

    /// Its entries and their bytes, when known without reading the spool.
    var size: BatchSize? {
        switch content {
        case .memory(let batch): batch.size
        case .spooled(_, let size): size
        }
    }
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
