/// The entries of one push request, gathered stream by stream: the arena a push client batches
/// into and the encoders read.
///
/// The bytes of every line and of every structured metadata name and value live in one
/// `ContiguousArray<UInt8>`; an entry is a small record of offsets into it, and the entries of a
/// stream are linked in append order. Streams are found by their labels once
/// (`stream(_:)`), then entries are appended to the stream's index, so that appending copies
/// the line and stores one record, and allocates nothing once the arena has grown to its size.
/// `removeAll(keepingCapacity:)` keeps that memory for the next batch.
///
/// ```swift
/// var batch = LokiBatch()
/// let web = batch.stream(try LokiLabels(["app": "web", "kind": "log"]))
/// try line.withUnsafeBytes { try batch.append(timestamp: now, line: $0, to: web) }
/// var encoder = LokiPushEncoder()
/// encoder.encodeProtobufBody(batch, into: &body)
/// ```
///
/// Entries keep their append order within a stream; Loki accepts out-of-order entries by
/// default, and the batch never sorts them.
public struct LokiBatch: Sendable {
    /// An entry: its time, where its line is in `bytes`, and which metadata records are its.
    struct EntryRecord: Sendable {
        /// When the entry happened.
        var timestamp: LokiTimestamp
        /// Where the line is in `bytes`.
        var line: Range<Int>
        /// The entry's pairs in `metadataRecords`.
        var metadata: Range<Int>
        /// The index of the stream's next entry in `entryRecords`, or -1.
        var next: Int
    }

    /// A structured metadata pair: where its name and value are in `bytes`.
    struct MetadataRecord: Sendable {
        /// Where the name is in `bytes`.
        var name: Range<Int>
        /// Where the value is in `bytes`.
        var value: Range<Int>
    }

    /// A stream: its labels and the ends of its list of entries.
    struct StreamRecord: Sendable {
        /// The stream's labels.
        var labels: LokiLabels
        /// The index in `entryRecords` of the first entry, or -1.
        var first: Int
        /// The index in `entryRecords` of the last entry, or -1.
        var last: Int
        /// How many entries the stream has.
        var count: Int
    }

    /// Which stream of a batch to append to, as `stream(_:)` returns it. It is valid for the
    /// batch that returned it until the batch is emptied (`removeAll(keepingCapacity:)`).
    public struct StreamIndex: Hashable, Sendable {
        /// The index in `streamRecords`.
        let value: Int
    }

    /// The bytes of the lines and of the metadata names and values.
    var bytes = ContiguousArray<UInt8>()
    /// The entries of every stream, in append order.
    var entryRecords = ContiguousArray<EntryRecord>()
    /// The metadata pairs of every entry, in append order.
    var metadataRecords = ContiguousArray<MetadataRecord>()
    /// The streams, in the order they were first asked for.
    var streamRecords: [StreamRecord] = []
    /// The index of each stream in `streamRecords`, by its labels.
    var streamIndices: [LokiLabels: Int] = [:]
    /// The size of the batch as Promtail's and Alloy's `entrySize` counts it against `batch_size`:
    /// the bytes of every line, plus for each structured metadata pair the protobuf size of its
    /// name and value fields (`LabelAdapter.Size()`: tag, length and bytes, each left out when
    /// empty). Labels and timestamps are not counted.
    public internal(set) var byteCount = 0

    /// An empty batch.
    public init() {}

    /// A batch of `streams`, their entries in order; streams with the same labels are merged.
    ///
    /// - Throws: the first entry's error, as `append(_:to:)` throws it.
    public init(streams: [LokiStream]) throws(LokiEntryError) {
        for stream in streams {
            let index = self.stream(stream.labels)
            for entry in stream.entries { try append(entry, to: index) }
        }
    }

    /// Whether the batch has no entries.
    public var isEmpty: Bool { entryRecords.isEmpty }

    /// How many entries the batch has.
    public var entryCount: Int { entryRecords.count }

    /// How many streams have at least one entry.
    public var streamCount: Int { streamRecords.count { $0.count > 0 } }

    /// The index of the stream with `labels`, added (with no entries) if the batch has none yet.
    public mutating func stream(_ labels: LokiLabels) -> StreamIndex {
        if let index = streamIndices[labels] { return StreamIndex(value: index) }
        let index = streamRecords.count
        streamRecords.append(StreamRecord(labels: labels, first: -1, last: -1, count: 0))
        streamIndices[labels] = index
        return StreamIndex(value: index)
    }

    /// Reserves room for about `byteCount` bytes of lines and metadata in `entryCount` entries, so
    /// that filling the batch to that size does not copy it as it grows.
    public mutating func reserveCapacity(bytes byteCount: Int, entries entryCount: Int) {
        bytes.reserveCapacity(byteCount)
        entryRecords.reserveCapacity(entryCount)
    }

    /// Removes every stream and entry; with `keepingCapacity`, the memory stays for the next batch.
    /// Stream indices returned before are no longer valid.
    public mutating func removeAll(keepingCapacity: Bool = true) {
        bytes.removeAll(keepingCapacity: keepingCapacity)
        entryRecords.removeAll(keepingCapacity: keepingCapacity)
        metadataRecords.removeAll(keepingCapacity: keepingCapacity)
        streamRecords.removeAll(keepingCapacity: keepingCapacity)
        streamIndices.removeAll(keepingCapacity: keepingCapacity)
        byteCount = 0
    }
}
