/// Writes protobuf wire format into one growing `ContiguousArray<UInt8>`.
///
/// Each field is appended with one capacity check for its tag and value together. A nested
/// message is written through a closure into the same buffer, after a one-byte length
/// placeholder that is patched when the closure returns; only a body of 128 bytes or more is
/// moved, by the extra bytes of its length. Field numbers must be 1 to 2^29 - 1.
///
/// ```swift
/// var writer = ProtobufWriter()
/// writer.writeString(field: 1, "checkout")
/// writer.writeMessage(field: 2) { span in
///     span.writeFixed64(field: 7, startTime)
/// }
/// send(writer.bytes)
/// ```
///
/// To fill a buffer that is reused across requests, move it in and out with `append(to:_:)`.
public struct ProtobufWriter: Sendable {
    /// The bytes written so far, after whatever the buffer held when the writer took it.
    public var bytes: ContiguousArray<UInt8>

    /// A writer that appends to `bytes`.
    public init(bytes: ContiguousArray<UInt8> = []) {
        self.bytes = bytes
    }

    /// Runs `body` with a writer that appends to `buffer`, without copying the buffer.
    public static func append<E: Error>(
        to buffer: inout ContiguousArray<UInt8>, _ body: (inout ProtobufWriter) throws(E) -> Void
    ) throws(E) {
        var writer = ProtobufWriter()
        swap(&writer.bytes, &buffer)
        defer { swap(&writer.bytes, &buffer) }
        try body(&writer)
    }

    /// How many bytes the buffer holds.
    public var count: Int { bytes.count }

    /// Appends at most `maximum` bytes that `write` writes at the pointer it gets, returning how many.
    @inline(__always)
    private mutating func append(upTo maximum: Int, _ write: (UnsafeMutableRawPointer) -> Int) {
        bytes.append(addingCapacity: maximum) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                initialized = write(UnsafeMutableRawPointer(buffer.baseAddress!))
            }
        }
    }

    /// The tag of `field` with `wireType`, as a varint value.
    @inline(__always)
    private static func tag(_ field: Int, _ wireType: ProtobufWireType) -> UInt64 {
        precondition(field > 0 && field < 1 << 29, "protobuf field numbers are 1 to 2^29 - 1")
        return UInt64(field) &<< 3 | UInt64(wireType.rawValue)
    }

    /// Appends a bare varint (no tag).
    public mutating func appendVarint(_ value: UInt64) {
        append(upTo: ProtobufVarint.maximumLength) { ProtobufVarint.write(value, to: $0) }
    }

    /// Appends eight little-endian bytes (no tag): an element of a packed `fixed64` or `double` field.
    public mutating func appendFixed64(_ value: UInt64) {
        append(upTo: 8) { destination in
            destination.storeBytes(of: value.littleEndian, as: UInt64.self)
            return 8
        }
    }

    /// Appends a field tag.
    public mutating func appendTag(field: Int, wireType: ProtobufWireType) {
        appendVarint(ProtobufWriter.tag(field, wireType))
    }

    /// Writes a varint field: `uint64`, `uint32`, an `enum`'s non-negative values, `bool` as 0 or 1.
    public mutating func writeVarint(field: Int, _ value: UInt64) {
        let tag = ProtobufWriter.tag(field, .varint)
        append(upTo: 2 * ProtobufVarint.maximumLength) { destination in
            let tagLength = ProtobufVarint.write(tag, to: destination)
            return tagLength &+ ProtobufVarint.write(value, to: destination + tagLength)
        }
    }

    /// Writes an `int64` field (negative values take ten bytes).
    public mutating func writeInt64(field: Int, _ value: Int64) {
        writeVarint(field: field, UInt64(bitPattern: value))
    }

    /// Writes an `int32` or `enum` field: negative values are sign-extended to ten bytes, as protobuf requires.
    public mutating func writeInt32(field: Int, _ value: Int32) {
        writeVarint(field: field, UInt64(bitPattern: Int64(value)))
    }

    /// Writes a `sint64` field (ZigZag).
    public mutating func writeSInt64(field: Int, _ value: Int64) {
        writeVarint(field: field, ProtobufVarint.zigZag(value))
    }

    /// Writes a `sint32` field (ZigZag).
    public mutating func writeSInt32(field: Int, _ value: Int32) {
        writeVarint(field: field, ProtobufVarint.zigZag(Int64(value)))
    }

    /// Writes a `bool` field.
    public mutating func writeBool(field: Int, _ value: Bool) {
        writeVarint(field: field, value ? 1 : 0)
    }

    /// Writes a `fixed64` field.
    public mutating func writeFixed64(field: Int, _ value: UInt64) {
        let tag = ProtobufWriter.tag(field, .fixed64)
        append(upTo: ProtobufVarint.maximumLength + 8) { destination in
            let tagLength = ProtobufVarint.write(tag, to: destination)
            destination.storeBytes(of: value.littleEndian, toByteOffset: tagLength, as: UInt64.self)
            return tagLength &+ 8
        }
    }

    /// Writes a `sfixed64` field.
    public mutating func writeSFixed64(field: Int, _ value: Int64) {
        writeFixed64(field: field, UInt64(bitPattern: value))
    }

    /// Writes a `double` field (IEEE 754, NaN payloads kept).
    public mutating func writeDouble(field: Int, _ value: Double) {
        writeFixed64(field: field, value.bitPattern)
    }

    /// Writes a `fixed32` field.
    public mutating func writeFixed32(field: Int, _ value: UInt32) {
        let tag = ProtobufWriter.tag(field, .fixed32)
        append(upTo: ProtobufVarint.maximumLength + 4) { destination in
            let tagLength = ProtobufVarint.write(tag, to: destination)
            destination.storeBytes(of: value.littleEndian, toByteOffset: tagLength, as: UInt32.self)
            return tagLength &+ 4
        }
    }

    /// Writes a `sfixed32` field.
    public mutating func writeSFixed32(field: Int, _ value: Int32) {
        writeFixed32(field: field, UInt32(bitPattern: value))
    }

    /// Writes a `float` field.
    public mutating func writeFloat(field: Int, _ value: Float) {
        writeFixed32(field: field, value.bitPattern)
    }

    /// Writes a `bytes` field.
    public mutating func writeBytes(field: Int, _ value: UnsafeRawBufferPointer) {
        let tag = ProtobufWriter.tag(field, .lengthDelimited)
        append(upTo: 2 * ProtobufVarint.maximumLength + value.count) { destination in
            var length = ProtobufVarint.write(tag, to: destination)
            length &+= ProtobufVarint.write(UInt64(value.count), to: destination + length)
            if let source = value.baseAddress {
                (destination + length).copyMemory(from: source, byteCount: value.count)
            }
            return length &+ value.count
        }
    }

    /// Writes a `bytes` field.
    public mutating func writeBytes(field: Int, _ value: some Collection<UInt8>) {
        if value.withContiguousStorageIfAvailable({ writeBytes(field: field, UnsafeRawBufferPointer($0)) }) == nil {
            ContiguousArray(value).withUnsafeBytes { writeBytes(field: field, $0) }
        }
    }

    /// Writes a `string` field (its UTF-8).
    public mutating func writeString(field: Int, _ value: String) {
        var value = value
        value.withUTF8 { writeBytes(field: field, UnsafeRawBufferPointer($0)) }
    }

    /// Writes a nested message field whose fields `body` writes. If `body` throws, nothing of the
    /// field is left in the buffer.
    public mutating func writeMessage<E: Error>(field: Int, _ body: (inout ProtobufWriter) throws(E) -> Void) throws(E) {
        let start = beginMessage(field: field)
        do {
            try body(&self)
        } catch {
            bytes.removeSubrange(start.fieldStart...)
            throw error
        }
        endMessage(start)
    }

    /// Where an open nested message starts, to close it with `endMessage(_:)`.
    public struct MessageStart: Sendable {
        /// The offset of the field's tag.
        let fieldStart: Int
        /// The offset of the one-byte length placeholder.
        let lengthAt: Int
    }

    /// Opens a nested message field: its fields follow until `endMessage(_:)`, for writers whose
    /// nesting spans several calls. Messages must be closed innermost first.
    public mutating func beginMessage(field: Int) -> MessageStart {
        let fieldStart = bytes.count
        appendTag(field: field, wireType: .lengthDelimited)
        let lengthAt = bytes.count
        bytes.append(0)
        return MessageStart(fieldStart: fieldStart, lengthAt: lengthAt)
    }

    /// Closes a nested message field opened by `beginMessage(field:)`, writing its length.
    public mutating func endMessage(_ start: MessageStart) {
        patchLength(at: start.lengthAt)
    }

    /// Writes a packed repeated varint field (`repeated uint64`, `int64`, `uint32`, `bool`, `enum`);
    /// nothing when `values` is empty.
    public mutating func writePackedVarints(field: Int, _ values: some Collection<UInt64>) {
        if values.isEmpty { return }
        writeMessage(field: field) { writer in
            for value in values { writer.appendVarint(value) }
        }
    }

    /// Writes a packed repeated `fixed64` field; nothing when `values` is empty.
    public mutating func writePackedFixed64(field: Int, _ values: some Collection<UInt64>) {
        if values.isEmpty { return }
        appendTag(field: field, wireType: .lengthDelimited)
        appendVarint(UInt64(values.count * 8))
        append(upTo: values.count * 8) { destination in
            var offset = 0
            for value in values {
                destination.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self)
                offset &+= 8
            }
            return offset
        }
    }

    /// Writes a packed repeated `double` field; nothing when `values` is empty.
    public mutating func writePackedDoubles(field: Int, _ values: some Collection<Double>) {
        writePackedFixed64(field: field, values.lazy.map(\.bitPattern))
    }

    /// Replaces the one-byte placeholder at `lengthAt` with the varint length of the bytes after it,
    /// moving them when the length takes more than one byte.
    private mutating func patchLength(at lengthAt: Int) {
        let length = bytes.count - lengthAt - 1
        if length < 0x80 {
            bytes[lengthAt] = UInt8(truncatingIfNeeded: length)
            return
        }
        let lengthSize = ProtobufVarint.length(of: UInt64(length))
        append(upTo: lengthSize - 1) { _ in lengthSize - 1 }
        bytes.withUnsafeMutableBytes { raw in
            let start = raw.baseAddress! + lengthAt
            (start + lengthSize).copyMemory(from: start + 1, byteCount: length)
            _ = ProtobufVarint.write(UInt64(length), to: start)
        }
    }
}
