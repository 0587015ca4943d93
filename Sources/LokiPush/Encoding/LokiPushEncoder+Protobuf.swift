import ProtobufWire

extension LokiPushEncoder {
    /// Appends the protobuf `PushRequest` of `batch` to `output`, uncompressed: the form the
    /// disk spool keeps.
    ///
    /// Fields are written as Loki's Go marshaller writes them: in field-number order, the
    /// entry's `timestamp` always (even at zero), a `google.protobuf.Timestamp`'s fields, the
    /// line and metadata names and values only when not zero or empty; `hash` and `parsed`
    /// never. Every message's size is computed before it is written, so nothing is moved.
    public mutating func encodePushRequest(_ batch: LokiBatch, into output: inout ContiguousArray<UInt8>) {
        streamSizes.removeAll(keepingCapacity: true)
        var total = 0
        for stream in batch.streamRecords {
            let size = stream.count == 0 ? 0 : LokiPushEncoder.streamBodySize(stream, in: batch)
            streamSizes.append(size)
            if stream.count > 0 { total += LokiPushEncoder.messageFieldSize(size) }
        }
        output.reserveCapacity(output.count + total)
        let sizes = streamSizes
        batch.bytes.withUnsafeBytes { bytes in
            batch.entryRecords.withUnsafeBufferPointer { entries in
                batch.metadataRecords.withUnsafeBufferPointer { metadata in
                    ProtobufWriter.append(to: &output) { writer in
                        for (index, stream) in batch.streamRecords.enumerated() where stream.count > 0 {
                            writer.appendTag(field: 1, wireType: .lengthDelimited)
                            writer.appendVarint(UInt64(sizes[index]))
                            stream.labels.canonicalBytes.withUnsafeBytes { writer.writeBytes(field: 1, $0) }
                            var entryIndex = stream.first
                            for _ in 0..<stream.count {
                                let entry = entries[entryIndex]
                                LokiPushEncoder.write(entry, bytes: bytes, metadata: metadata, to: &writer)
                                entryIndex = entry.next
                            }
                        }
                    }
                }
            }
        }
    }

    /// Writes `entry` as field 2 of a `StreamAdapter`.
    @inline(__always)
    static func write(
        _ entry: LokiBatch.EntryRecord, bytes: UnsafeRawBufferPointer,
        metadata: UnsafeBufferPointer<LokiBatch.MetadataRecord>, to writer: inout ProtobufWriter
    ) {
        let timestampSize = timestampBodySize(entry.timestamp)
        var size = 2 + timestampSize + LokiBatch.fieldSize(entry.line.count)
        for index in entry.metadata {
            size += messageFieldSize(pairBodySize(metadata[index]))
        }
        writer.appendTag(field: 2, wireType: .lengthDelimited)
        writer.appendVarint(UInt64(size))
        writer.appendTag(field: 1, wireType: .lengthDelimited)
        writer.appendVarint(UInt64(timestampSize))
        if entry.timestamp.seconds != 0 { writer.writeInt64(field: 1, entry.timestamp.seconds) }
        if entry.timestamp.nanoseconds != 0 { writer.writeInt32(field: 2, entry.timestamp.nanoseconds) }
        if !entry.line.isEmpty { writer.writeBytes(field: 2, UnsafeRawBufferPointer(rebasing: bytes[entry.line])) }
        for index in entry.metadata {
            let pair = metadata[index]
            writer.appendTag(field: 3, wireType: .lengthDelimited)
            writer.appendVarint(UInt64(pairBodySize(pair)))
            if !pair.name.isEmpty { writer.writeBytes(field: 1, UnsafeRawBufferPointer(rebasing: bytes[pair.name])) }
            if !pair.value.isEmpty { writer.writeBytes(field: 2, UnsafeRawBufferPointer(rebasing: bytes[pair.value])) }
        }
    }

    /// The size of the body of the `StreamAdapter` message of `stream`.
    static func streamBodySize(_ stream: LokiBatch.StreamRecord, in batch: LokiBatch) -> Int {
        var size = LokiBatch.fieldSize(stream.labels.canonicalBytes.count)
        batch.entryRecords.withUnsafeBufferPointer { entries in
            batch.metadataRecords.withUnsafeBufferPointer { metadata in
                var entryIndex = stream.first
                for _ in 0..<stream.count {
                    let entry = entries[entryIndex]
                    var entrySize = 2 + timestampBodySize(entry.timestamp) + LokiBatch.fieldSize(entry.line.count)
                    for index in entry.metadata {
                        entrySize += messageFieldSize(pairBodySize(metadata[index]))
                    }
                    size += messageFieldSize(entrySize)
                    entryIndex = entry.next
                }
            }
        }
        return size
    }

    /// The size of a length-delimited field with a one-byte tag whose value is `size` bytes,
    /// written even when empty (a message field).
    @inline(__always)
    static func messageFieldSize(_ size: Int) -> Int {
        1 + ProtobufVarint.length(of: UInt64(size)) + size
    }

    /// The size of the body of a `google.protobuf.Timestamp` (at most 17 bytes).
    @inline(__always)
    static func timestampBodySize(_ timestamp: LokiTimestamp) -> Int {
        (timestamp.seconds == 0 ? 0 : 1 + ProtobufVarint.length(of: UInt64(bitPattern: timestamp.seconds)))
            + (timestamp.nanoseconds == 0 ? 0 : 1 + ProtobufVarint.length(of: UInt64(timestamp.nanoseconds)))
    }

    /// The size of the body of a `LabelPairAdapter`.
    @inline(__always)
    static func pairBodySize(_ pair: LokiBatch.MetadataRecord) -> Int {
        LokiBatch.pairSize(nameCount: pair.name.count, valueCount: pair.value.count)
    }
}
