import ProtobufWire

extension LokiBatch {
    /// Appends `entry` to the stream at `stream` (see `append(timestamp:line:structuredMetadata:to:)`).
    public mutating func append(_ entry: LokiEntry, to stream: StreamIndex) throws(LokiEntryError) {
        var line = entry.line
        let result = line.withUTF8 { utf8 in
            Result { () throws(LokiEntryError) in
                try append(
                    timestamp: entry.timestamp, line: UnsafeRawBufferPointer(utf8), structuredMetadata: entry.structuredMetadata,
                    to: stream)
            }
        }
        try result.get()
    }

    /// Appends an entry to the stream at `stream`: copies the line's bytes and the metadata's
    /// names and values into the batch.
    ///
    /// The line must be valid UTF-8 (checked eight bytes at a time while it is ASCII), the
    /// timestamp within Loki's years 1 to 9999, and each metadata name `[a-zA-Z_][a-zA-Z0-9_]*`.
    /// On an error nothing is appended.
    ///
    /// - Precondition: `stream` came from this batch's `stream(_:)` since it was last emptied.
    public mutating func append(
        timestamp: LokiTimestamp, line: UnsafeRawBufferPointer, structuredMetadata: [LokiLabelPair] = [],
        to stream: StreamIndex
    ) throws(LokiEntryError) {
        guard timestamp.isWithinLokiRange else { throw .timestampOutOfRange(timestamp) }
        if let offset = UTF8Validation.firstInvalidOffset(line) { throw .invalidUTF8(offset: offset) }
        let metadataStart = metadataRecords.count
        if !structuredMetadata.isEmpty {
            for pair in structuredMetadata where !LabelName.isValid(pair.name) {
                throw .invalidMetadataName(pair.name)
            }
            for pair in structuredMetadata {
                var name = pair.name
                var value = pair.value
                name.withUTF8 { name in
                    value.withUTF8 { value in
                        appendMetadata(name: UnsafeRawBufferPointer(name), value: UnsafeRawBufferPointer(value))
                    }
                }
            }
        }
        appendEntry(timestamp: timestamp, line: line, metadataFrom: metadataStart, to: stream)
    }

    /// Appends an entry without metadata whose line its producer guarantees to be valid UTF-8,
    /// without reading the line to check it again: for lines that an encoder in this package
    /// wrote from text it had validated (FaroModel's Alloy lines), where the check was more than
    /// half of the cost of taking a payload's encoded lines into a batch. Debug builds still check.
    ///
    /// - Precondition: `line` is valid UTF-8; `stream` came from this batch's `stream(_:)` since it
    ///   was last emptied.
    package mutating func append(
        timestamp: LokiTimestamp, validUTF8Line line: UnsafeRawBufferPointer, to stream: StreamIndex
    ) throws(LokiEntryError) {
        guard timestamp.isWithinLokiRange else { throw .timestampOutOfRange(timestamp) }
        assert(UTF8Validation.firstInvalidOffset(line) == nil, "a line said to be valid UTF-8 is not")
        appendEntry(timestamp: timestamp, line: line, metadataFrom: metadataRecords.count, to: stream)
    }

    /// Appends the entries of `other`, stream by stream: each to the stream with the same
    /// labels, added if this batch has none, in their order.
    public mutating func append(contentsOf other: LokiBatch) {
        let byteBase = bytes.count
        let metadataBase = metadataRecords.count
        bytes.append(contentsOf: other.bytes)
        // No reserveCapacity for the records: it reserves exactly, so a batch that many small
        // batches are appended to (a push client's open batch) would copy its records every time.
        for record in other.metadataRecords {
            metadataRecords.append(
                MetadataRecord(
                    name: record.name.lowerBound + byteBase..<record.name.upperBound + byteBase,
                    value: record.value.lowerBound + byteBase..<record.value.upperBound + byteBase))
        }
        for otherStream in other.streamRecords where otherStream.count > 0 {
            let index = stream(otherStream.labels)
            var entryIndex = otherStream.first
            for _ in 0..<otherStream.count {
                let record = other.entryRecords[entryIndex]
                link(
                    EntryRecord(
                        timestamp: record.timestamp, line: record.line.lowerBound + byteBase..<record.line.upperBound + byteBase,
                        metadata: record.metadata.lowerBound + metadataBase..<record.metadata.upperBound + metadataBase,
                        next: -1),
                    to: index)
                entryIndex = record.next
            }
        }
        byteCount += other.byteCount
    }

    /// Appends a metadata pair whose name is valid and whose value is valid UTF-8, for the entry
    /// that `appendEntry` appends next.
    mutating func appendMetadata(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let nameStart = bytes.count
        bytes.append(contentsOf: name)
        let valueStart = bytes.count
        bytes.append(contentsOf: value)
        metadataRecords.append(MetadataRecord(name: nameStart..<valueStart, value: valueStart..<bytes.count))
        byteCount += LokiBatch.pairSize(nameCount: name.count, valueCount: value.count)
    }

    /// Appends an entry with a valid line and timestamp, whose metadata are the records from
    /// `metadataStart` on.
    @inline(__always)
    mutating func appendEntry(timestamp: LokiTimestamp, line: UnsafeRawBufferPointer, metadataFrom metadataStart: Int, to stream: StreamIndex) {
        let lineStart = bytes.count
        bytes.append(contentsOf: line)
        byteCount += line.count
        link(
            EntryRecord(timestamp: timestamp, line: lineStart..<bytes.count, metadata: metadataStart..<metadataRecords.count, next: -1),
            to: stream)
    }

    /// Appends `record` and links it at the end of the stream at `stream`.
    @inline(__always)
    private mutating func link(_ record: EntryRecord, to stream: StreamIndex) {
        precondition(stream.value < streamRecords.count, "a stream index from another batch, or from before removeAll")
        let index = entryRecords.count
        entryRecords.append(record)
        let last = streamRecords[stream.value].last
        if last >= 0 {
            entryRecords[last].next = index
        } else {
            streamRecords[stream.value].first = index
        }
        streamRecords[stream.value].last = index
        streamRecords[stream.value].count += 1
    }

    /// The size Promtail and Alloy count for a metadata pair (`LabelAdapter.Size()`): the
    /// protobuf size of its name and value fields, each left out when empty.
    static func pairSize(nameCount: Int, valueCount: Int) -> Int {
        fieldSize(nameCount) + fieldSize(valueCount)
    }

    /// The size of a length-delimited field of `count` bytes with a one-byte tag, 0 when empty.
    @inline(__always)
    static func fieldSize(_ count: Int) -> Int {
        count == 0 ? 0 : 1 + ProtobufVarint.length(of: UInt64(count)) + count
    }
}
