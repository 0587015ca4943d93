import ProtobufWire
import Snappy

extension LokiPushEncoder {
    /// Appends the protobuf `PushRequest` of `batch` to `output`, uncompressed: the form the
    /// disk spool keeps.
    ///
    /// Fields are written as Loki's Go marshaller writes them: in field-number order, the
    /// entry's `timestamp` always (even at zero), a `google.protobuf.Timestamp`'s fields, the
    /// line and metadata names and values only when not zero or empty; `hash` and `parsed`
    /// never. Every message's size is computed before it is written, so nothing is moved.
    public mutating func encodePushRequest(_ batch: LokiBatch, into output: inout ContiguousArray<UInt8>) {
        let total = computeStreamSizes(batch)
        output.reserveCapacity(output.count + total)
        let sizes = streamSizes
        ProtobufWriter.append(to: &output) { writer in
            LokiPushEncoder.writeRequest(batch, streamSizes: sizes, to: &writer, pieceLength: Int.max) { _ in }
        }
    }

    /// Appends the Snappy-compressed (block format) protobuf `PushRequest` of `batch` to
    /// `output`: the body for `Content-Type: application/x-protobuf`.
    ///
    /// The request is compressed while it is written: its length is known before (every message
    /// size is computed first), so the Snappy header comes first, then the request is written
    /// into a scratch buffer, lines in pieces of at most 64 KiB, and each full 64 KiB fragment is
    /// compressed as soon as it is complete. The body is byte for byte `Snappy.compress` of
    /// `encodePushRequest`'s output, and the uncompressed request is never in memory whole.
    public mutating func encodeProtobufBody(_ batch: LokiBatch, into output: inout ContiguousArray<UInt8>) {
        let total = computeStreamSizes(batch)
        compressor.beginFragments(totalLength: total, into: &output)
        var request = ContiguousArray<UInt8>()
        swap(&request, &scratch)
        defer { swap(&request, &scratch) }
        request.removeAll(keepingCapacity: true)
        let sizes = streamSizes
        ProtobufWriter.append(to: &request) { writer in
            LokiPushEncoder.writeRequest(batch, streamSizes: sizes, to: &writer, pieceLength: Snappy.blockSize) { writer in
                compressFullFragments(of: &writer.bytes, into: &output)
            }
        }
        if !request.isEmpty {
            request.withUnsafeBytes { compressor.compressFragment($0, into: &output) }
        }
        precondition(compressor.remainingFragmentLength == 0, "the PushRequest's computed size differs from its bytes")
    }

    /// Compresses the full Snappy fragments at the start of `request` into `output`, then moves
    /// the unfinished rest to the front.
    @inline(__always)
    mutating func compressFullFragments(of request: inout ContiguousArray<UInt8>, into output: inout ContiguousArray<UInt8>) {
        let full = request.count - request.count % Snappy.blockSize
        guard full > 0 else { return }
        request.withUnsafeBytes { bytes in
            for start in stride(from: 0, to: full, by: Snappy.blockSize) {
                compressor.compressFragment(
                    UnsafeRawBufferPointer(rebasing: bytes[start..<start + Snappy.blockSize]), into: &output)
            }
        }
        request.removeSubrange(0..<full)
    }

    /// Computes the size of each stream's message body into `streamSizes` and returns the size
    /// of the whole `PushRequest`.
    mutating func computeStreamSizes(_ batch: LokiBatch) -> Int {
        streamSizes.removeAll(keepingCapacity: true)
        var total = 0
        for stream in batch.streamRecords {
            let size = stream.count == 0 ? 0 : LokiPushEncoder.streamBodySize(stream, in: batch)
            streamSizes.append(size)
            if stream.count > 0 { total += LokiPushEncoder.messageFieldSize(size) }
        }
        return total
    }

    /// Writes the `PushRequest` of `batch` with `writer`, calling `drain` after each stream's
    /// labels, each entry and each piece of a line, so that a caller can take away what is
    /// complete; lines are written in pieces of at most `pieceLength` bytes.
    static func writeRequest(
        _ batch: LokiBatch, streamSizes: ContiguousArray<Int>, to writer: inout ProtobufWriter, pieceLength: Int,
        drain: (inout ProtobufWriter) -> Void
    ) {
        batch.bytes.withUnsafeBytes { bytes in
            batch.entryRecords.withUnsafeBufferPointer { entries in
                batch.metadataRecords.withUnsafeBufferPointer { metadata in
                    for (index, stream) in batch.streamRecords.enumerated() where stream.count > 0 {
                        writer.appendTag(field: 1, wireType: .lengthDelimited)
                        writer.appendVarint(UInt64(streamSizes[index]))
                        stream.labels.canonicalBytes.withUnsafeBytes { writer.writeBytes(field: 1, $0) }
                        drain(&writer)
                        var entryIndex = stream.first
                        for _ in 0..<stream.count {
                            let entry = entries[entryIndex]
                            LokiPushEncoder.write(
                                entry, bytes: bytes, metadata: metadata, pieceLength: pieceLength, to: &writer, drain: drain)
                            drain(&writer)
                            entryIndex = entry.next
                        }
                    }
                }
            }
        }
    }

    /// Writes `entry` as field 2 of a `StreamAdapter`, its line in pieces of at most
    /// `pieceLength` bytes with `drain` called between them.
    @inline(__always)
    static func write(
        _ entry: LokiBatch.EntryRecord, bytes: UnsafeRawBufferPointer,
        metadata: UnsafeBufferPointer<LokiBatch.MetadataRecord>, pieceLength: Int, to writer: inout ProtobufWriter,
        drain: (inout ProtobufWriter) -> Void
    ) {
        let timestampSize = timestampBodySize(entry.timestamp)
        var size = 2 + timestampSize + LokiBatch.fieldSize(entry.line.count)
        for index in entry.metadata {
            size += messageFieldSize(pairBodySize(metadata[index]))
        }
        // The entry's header in one append: its tag and size, the timestamp message, the line's
        // tag and length (tags: entry 2, timestamp 1, seconds 1 and nanos 2 as varints, line 2).
        let lineCount = entry.line.count
        writer.bytes.append(addingCapacity: 5 * (1 + ProtobufVarint.maximumLength)) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                let destination = UnsafeMutableRawPointer(buffer.baseAddress!)
                var count = 0
                @inline(__always) func put(tag: UInt8, _ value: UInt64) {
                    destination.storeBytes(of: tag, toByteOffset: count, as: UInt8.self)
                    count += 1 + ProtobufVarint.write(value, to: destination + count + 1)
                }
                put(tag: 2 << 3 | 2, UInt64(size))
                put(tag: 1 << 3 | 2, UInt64(timestampSize))
                if entry.timestamp.seconds != 0 { put(tag: 1 << 3, UInt64(bitPattern: entry.timestamp.seconds)) }
                if entry.timestamp.nanoseconds != 0 {
                    put(tag: 2 << 3, UInt64(bitPattern: Int64(entry.timestamp.nanoseconds)))
                }
                if lineCount > 0 { put(tag: 2 << 3 | 2, UInt64(lineCount)) }
                initialized = count
            }
        }
        if lineCount > 0 {
            var start = entry.line.lowerBound
            while start < entry.line.upperBound {
                let end = start + min(pieceLength, entry.line.upperBound - start)
                writer.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                start = end
                if start < entry.line.upperBound { drain(&writer) }
            }
        }
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
