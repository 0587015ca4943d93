extension LokiBatch {
    /// What a batch held at one moment, to undo appends made after it (`restore(_:)`): how a
    /// decoder leaves the batch as it was when the input turns out bad.
    struct Checkpoint {
        /// How many bytes the arena held.
        let byteLength: Int
        /// How many entry records there were.
        let entries: Int
        /// How many metadata records there were.
        let metadata: Int
        /// The batch's `byteCount`.
        let byteCount: Int
        /// The streams, with the ends of their lists of entries.
        let streams: [StreamRecord]
    }

    /// The batch as it is now.
    func checkpoint() -> Checkpoint {
        Checkpoint(
            byteLength: bytes.count, entries: entryRecords.count, metadata: metadataRecords.count, byteCount: byteCount,
            streams: streamRecords)
    }

    /// Undoes every append since `checkpoint` was taken, streams added since included.
    mutating func restore(_ checkpoint: Checkpoint) {
        bytes.removeSubrange(checkpoint.byteLength...)
        entryRecords.removeSubrange(checkpoint.entries...)
        metadataRecords.removeSubrange(checkpoint.metadata...)
        byteCount = checkpoint.byteCount
        for record in streamRecords[checkpoint.streams.count...] {
            streamIndices[record.labels] = nil
        }
        streamRecords = checkpoint.streams
        for record in streamRecords where record.last >= 0 {
            entryRecords[record.last].next = -1
        }
    }
}
