import ProtobufWire

/// An OTLP message that reads itself from protobuf.
protocol ProtobufDecodable {
    /// Reads the message's fields from `reader`, skipping those it does not know.
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError)
}

/// An OTLP message that writes itself as protobuf.
protocol ProtobufEncodable {
    /// Writes the message's fields, in field-number order, leaving out those at their default (proto3).
    func encode(to writer: inout ProtobufWriter)
}

/// Runs a wire-level read, turning its error into an `OTLPDecodingError`.
@inline(__always)
func wire<T>(_ body: () throws(ProtobufWireError) -> T) throws(OTLPDecodingError) -> T {
    do {
        return try body()
    } catch {
        throw OTLPDecodingError(error)
    }
}

extension ProtobufReader {
    /// The next field, or `nil` at the end of the message.
    @inline(__always)
    mutating func next() throws(OTLPDecodingError) -> ProtobufField? {
        do {
            return try nextField()
        } catch {
            throw OTLPDecodingError(error)
        }
    }
}

extension ProtobufField {
    // The scalar accessors of `ProtobufField`, throwing `OTLPDecodingError`.

    /// The `bool` value.
    @inline(__always)
    func decodeBool() throws(OTLPDecodingError) -> Bool {
        try wire { () throws(ProtobufWireError) in try bool() }
    }

    /// The `bytes` value.
    @inline(__always)
    func decodeBytes() throws(OTLPDecodingError) -> UnsafeRawBufferPointer {
        try wire { () throws(ProtobufWireError) in try bytes() }
    }

    /// The `double` value.
    @inline(__always)
    func decodeDouble() throws(OTLPDecodingError) -> Double {
        try wire { () throws(ProtobufWireError) in try double() }
    }

    /// The `fixed32` value.
    @inline(__always)
    func decodeFixed32() throws(OTLPDecodingError) -> UInt32 {
        try wire { () throws(ProtobufWireError) in try fixed32() }
    }

    /// The `fixed64` value.
    @inline(__always)
    func decodeFixed64() throws(OTLPDecodingError) -> UInt64 {
        try wire { () throws(ProtobufWireError) in try fixed64() }
    }

    /// The `int32` value.
    @inline(__always)
    func decodeInt32() throws(OTLPDecodingError) -> Int32 {
        try wire { () throws(ProtobufWireError) in try int32() }
    }

    /// The `int64` value.
    @inline(__always)
    func decodeInt64() throws(OTLPDecodingError) -> Int64 {
        try wire { () throws(ProtobufWireError) in try int64() }
    }

    /// The `sfixed64` value.
    @inline(__always)
    func decodeSfixed64() throws(OTLPDecodingError) -> Int64 {
        try wire { () throws(ProtobufWireError) in try sfixed64() }
    }

    /// The `sint32` value.
    @inline(__always)
    func decodeSint32() throws(OTLPDecodingError) -> Int32 {
        try wire { () throws(ProtobufWireError) in try sint32() }
    }

    /// The `uint64` value.
    @inline(__always)
    func decodeUint64() throws(OTLPDecodingError) -> UInt64 {
        try wire { () throws(ProtobufWireError) in try uint64() }
    }

    /// The `uint32` value.
    @inline(__always)
    func decodeUint32() throws(OTLPDecodingError) -> UInt32 {
        try wire { () throws(ProtobufWireError) in try uint32() }
    }

    /// The embedded message of this field, decoded; errors are placed at `name` (and `index`, for a
    /// repeated field).
    @inline(__always)
    func decode<Message: ProtobufDecodable>(
        _: Message.Type = Message.self, at name: StaticString, index: Int? = nil, strings: inout OTLPStringTable
    ) throws(OTLPDecodingError) -> Message {
        do throws(OTLPDecodingError) {
            var reader = try wire { () throws(ProtobufWireError) in try message() }
            return try Message(protobuf: &reader, strings: &strings)
        } catch {
            var located = error
            if let index { located = located.within(.index(index)) }
            throw located.within(.field(name.description))
        }
    }

    /// The embedded message of this field merged into `earlier`, what an earlier occurrence of the
    /// same field decoded to: protobuf merges a message field that occurs again (repeated fields
    /// concatenated, scalars set replaced, messages merged in turn).
    @inline(__always)
    func decode<Message: ProtobufDecodable & ProtobufEncodable>(
        merging earlier: Message?, at name: StaticString, strings: inout OTLPStringTable
    ) throws(OTLPDecodingError) -> Message {
        let message: Message = try decode(at: name, strings: &strings)
        guard let earlier else { return message }
        // Parsing two encodings back to back merges the second into the first.
        var writer = ProtobufWriter()
        earlier.encode(to: &writer)
        message.encode(to: &writer)
        return try writer.bytes.withTypedUnsafeBytes { (bytes) throws(OTLPDecodingError) in
            var reader = ProtobufReader(bytes, maxDepth: .max)
            return try Message(protobuf: &reader, strings: &strings)
        }
    }

    /// A `string` field, from `strings` when it decoded the same bytes lately.
    @inline(__always)
    func decodeString(at name: StaticString, strings: inout OTLPStringTable) throws(OTLPDecodingError) -> String {
        let bytes = try decodeBytes()
        if let text = strings.lookup(bytes) { return text }
        do throws(OTLPDecodingError) {
            let text = try wire { () throws(ProtobufWireError) in try string() }
            strings.store(text, for: bytes)
            return text
        } catch {
            throw error.within(.field(name.description))
        }
    }

    /// A trace id: 16 bytes, or `nil` for an empty field.
    func decodeTraceID(at name: StaticString) throws(OTLPDecodingError) -> OTLPTraceID? {
        let bytes = try decodeBytes()
        if bytes.isEmpty { return nil }
        guard let id = OTLPTraceID(bytes: bytes) else {
            throw OTLPDecodingError(.invalidIDLength(expected: 16, found: bytes.count), offset: valueOffset)
                .within(.field(name.description))
        }
        return id
    }

    /// A span id: 8 bytes, or `nil` for an empty field.
    func decodeSpanID(at name: StaticString) throws(OTLPDecodingError) -> OTLPSpanID? {
        let bytes = try decodeBytes()
        if bytes.isEmpty { return nil }
        guard let id = OTLPSpanID(bytes: bytes) else {
            throw OTLPDecodingError(.invalidIDLength(expected: 8, found: bytes.count), offset: valueOffset)
                .within(.field(name.description))
        }
        return id
    }
}

extension Array where Element == OTLPKeyValue {
    /// Appends a decoded attribute, making room for eight on the first: attributes come several to a
    /// message, and growing one at a time costs a reallocation each.
    @inline(__always)
    mutating func appendAttribute(_ attribute: OTLPKeyValue) {
        if capacity == 0 { reserveCapacity(8) }
        append(attribute)
    }
}

extension ProtobufWriter {
    /// Writes an embedded message field.
    @inline(__always)
    mutating func writeMessage(field: Int, _ message: some ProtobufEncodable) {
        writeMessage(field: field) { message.encode(to: &$0) }
    }

    /// Writes each message of a repeated field.
    @inline(__always)
    mutating func writeMessages(field: Int, _ messages: [some ProtobufEncodable]) {
        for message in messages { writeMessage(field: field, message) }
    }

    /// Writes a `string` field unless it is empty.
    @inline(__always)
    mutating func writeStringUnlessEmpty(field: Int, _ value: String) {
        if !value.isEmpty { writeString(field: field, value) }
    }

    /// Writes a varint field unless it is zero.
    @inline(__always)
    mutating func writeVarintUnlessZero(field: Int, _ value: UInt64) {
        if value != 0 { writeVarint(field: field, value) }
    }

    /// Writes an `int32` or `enum` field unless it is zero.
    @inline(__always)
    mutating func writeInt32UnlessZero(field: Int, _ value: Int32) {
        if value != 0 { writeInt32(field: field, value) }
    }

    /// Writes a `fixed64` field unless it is zero.
    @inline(__always)
    mutating func writeFixed64UnlessZero(field: Int, _ value: UInt64) {
        if value != 0 { writeFixed64(field: field, value) }
    }

    /// Writes a `fixed32` field unless it is zero.
    @inline(__always)
    mutating func writeFixed32UnlessZero(field: Int, _ value: UInt32) {
        if value != 0 { writeFixed32(field: field, value) }
    }

    /// Writes a trace id field, if there is one.
    @inline(__always)
    mutating func writeTraceID(field: Int, _ id: OTLPTraceID?) {
        guard let id else { return }
        withUnsafeBytes(of: (id.high.bigEndian, id.low.bigEndian)) { writeBytes(field: field, $0) }
    }

    /// Writes a span id field, if there is one.
    @inline(__always)
    mutating func writeSpanID(field: Int, _ id: OTLPSpanID?) {
        guard let id else { return }
        withUnsafeBytes(of: id.value.bigEndian) { writeBytes(field: field, $0) }
    }
}
