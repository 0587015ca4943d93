import ProtobufWire
import Snappy

/// Reads Loki push request bodies back into a `LokiBatch`: how a client replays the
/// uncompressed requests it spooled to disk, and how tests check what was sent.
///
/// Fields that `push.proto` does not have, and those a client never writes (`format`, a
/// stream's `hash`, an entry's `parsed`), are skipped. Lines and metadata must be valid UTF-8,
/// metadata names valid label names, labels must parse as Loki parses them, and timestamps must
/// be within Loki's range; an entry with no timestamp field gets Go's zero time, the start of
/// year 1, as Loki's decoder gives it.
public enum LokiPushRequestDecoder {
    /// Appends the streams and entries of the protobuf `PushRequest` in `bytes` to `batch`.
    /// On an error `batch` is left as it was.
    public static func decodePushRequest(_ bytes: UnsafeRawBufferPointer, into batch: inout LokiBatch) throws(LokiPushDecodingError) {
        let checkpoint = batch.checkpoint()
        do {
            var reader = ProtobufReader(bytes)
            while let field = try wire({ () throws(ProtobufWireError) in try reader.nextField() }) {
                if field.number == 1 {
                    try decodeStream(try wire { () throws(ProtobufWireError) in try field.message() }, into: &batch)
                }
            }
        } catch {
            batch.restore(checkpoint)
            throw error
        }
    }

    /// Decompresses a Snappy (block format) body of at most `maximumLength` uncompressed bytes
    /// into `scratch` (cleared first, reused) and appends its `PushRequest` to `batch`.
    public static func decodeProtobufBody(
        _ body: UnsafeRawBufferPointer, maximumLength: Int, scratch: inout ContiguousArray<UInt8>, into batch: inout LokiBatch
    ) throws(LokiPushDecodingError) {
        scratch.removeAll(keepingCapacity: true)
        do {
            try Snappy.decompress(body, into: &scratch, maximumLength: maximumLength)
        } catch {
            throw LokiPushDecodingError(.snappy(error), offset: error.offset)
        }
        let result = scratch.withUnsafeBytes { request in
            Result { () throws(LokiPushDecodingError) in try decodePushRequest(request, into: &batch) }
        }
        try result.get()
    }

    /// Decompresses a Snappy (block format) body of at most `maximumLength` uncompressed bytes
    /// and appends its `PushRequest` to `batch` (see the overload with a scratch buffer).
    public static func decodeProtobufBody(
        _ body: UnsafeRawBufferPointer, maximumLength: Int, into batch: inout LokiBatch
    ) throws(LokiPushDecodingError) {
        var scratch = ContiguousArray<UInt8>()
        try decodeProtobufBody(body, maximumLength: maximumLength, scratch: &scratch, into: &batch)
    }

    /// Decodes a `StreamAdapter`: its labels first, wherever they are, then its entries.
    private static func decodeStream(_ message: ProtobufReader, into batch: inout LokiBatch) throws(LokiPushDecodingError) {
        var labelsField: (bytes: UnsafeRawBufferPointer, offset: Int)? = nil
        var reader = message
        while let field = try wire({ () throws(ProtobufWireError) in try reader.nextField() }) {
            if field.number == 1 {
                labelsField = (try wire { () throws(ProtobufWireError) in try field.bytes() }, field.valueOffset)
            }
        }
        let labels: LokiLabels
        do {
            labels = try LokiLabels(parsing: labelsField?.bytes ?? UnsafeRawBufferPointer(start: nil, count: 0))
        } catch {
            throw LokiPushDecodingError(.labels(error), offset: labelsField?.offset ?? message.offset)
        }
        let stream = batch.stream(labels)
        reader = message
        while let field = try wire({ () throws(ProtobufWireError) in try reader.nextField() }) {
            if field.number == 2 {
                try decodeEntry(try wire { () throws(ProtobufWireError) in try field.message() }, into: &batch, stream: stream)
            }
        }
    }

    /// Decodes an `EntryAdapter` and appends it to `stream`.
    private static func decodeEntry(
        _ message: ProtobufReader, into batch: inout LokiBatch, stream: LokiBatch.StreamIndex
    ) throws(LokiPushDecodingError) {
        var seconds = LokiTimestamp.minimumSeconds
        var nanoseconds: Int32 = 0
        var timestampOffset = message.offset
        var line = UnsafeRawBufferPointer(start: nil, count: 0)
        let metadataStart = batch.metadataRecords.count
        var reader = message
        while let field = try wire({ () throws(ProtobufWireError) in try reader.nextField() }) {
            switch field.number {
            case 1:
                timestampOffset = field.offset
                (seconds, nanoseconds) = (0, 0)
                var timestamp = try wire { () throws(ProtobufWireError) in try field.message() }
                while let part = try wire({ () throws(ProtobufWireError) in try timestamp.nextField() }) {
                    switch part.number {
                    case 1: seconds = try wire { () throws(ProtobufWireError) in try part.int64() }
                    case 2: nanoseconds = try wire { () throws(ProtobufWireError) in try part.int32() }
                    default: break
                    }
                }
            case 2:
                line = try wire { () throws(ProtobufWireError) in try field.bytes() }
                if let invalid = UTF8Validation.firstInvalidOffset(line) {
                    throw LokiPushDecodingError(.invalidUTF8, offset: field.valueOffset + invalid)
                }
            case 3:
                try decodeMetadata(try wire { () throws(ProtobufWireError) in try field.message() }, into: &batch)
            default:
                break
            }
        }
        guard nanoseconds >= 0, nanoseconds < 1_000_000_000,
            LokiTimestamp(seconds: seconds, nanoseconds: nanoseconds).isWithinLokiRange
        else {
            throw LokiPushDecodingError(.timestampOutOfRange(seconds: seconds, nanoseconds: nanoseconds), offset: timestampOffset)
        }
        batch.appendEntry(
            timestamp: LokiTimestamp(seconds: seconds, nanoseconds: nanoseconds), line: line, metadataFrom: metadataStart,
            to: stream)
    }

    /// Decodes a `LabelPairAdapter` of structured metadata and appends it to the batch.
    private static func decodeMetadata(_ message: ProtobufReader, into batch: inout LokiBatch) throws(LokiPushDecodingError) {
        var name = UnsafeRawBufferPointer(start: nil, count: 0)
        var nameOffset = message.offset
        var value = UnsafeRawBufferPointer(start: nil, count: 0)
        var reader = message
        while let field = try wire({ () throws(ProtobufWireError) in try reader.nextField() }) {
            switch field.number {
            case 1:
                name = try wire { () throws(ProtobufWireError) in try field.bytes() }
                nameOffset = field.valueOffset
            case 2:
                value = try wire { () throws(ProtobufWireError) in try field.bytes() }
                if let invalid = UTF8Validation.firstInvalidOffset(value) {
                    throw LokiPushDecodingError(.invalidUTF8, offset: field.valueOffset + invalid)
                }
            default:
                break
            }
        }
        guard LabelName.isValid(name) else {
            if let invalid = UTF8Validation.firstInvalidOffset(name) {
                throw LokiPushDecodingError(.invalidUTF8, offset: nameOffset + invalid)
            }
            throw LokiPushDecodingError(.invalidMetadataName(String(decoding: name, as: UTF8.self)), offset: nameOffset)
        }
        batch.appendMetadata(name: name, value: value)
    }

    /// Runs a step of the protobuf reader, turning its error into a decoding error.
    @inline(__always)
    private static func wire<T>(_ body: () throws(ProtobufWireError) -> T) throws(LokiPushDecodingError) -> T {
        do {
            return try body()
        } catch {
            throw LokiPushDecodingError(.protobuf(error.reason), offset: error.offset)
        }
    }
}
