/// One field of a message as `ProtobufReader` found it: its number, wire type and value, still
/// in the message's bytes. The typed accessors check the wire type against the declared type
/// and decode the value as protobuf's own parsers do.
public struct ProtobufField {
    /// The field number.
    public let number: Int
    /// The wire type of the value.
    public let wireType: ProtobufWireType
    /// The offset of the field's tag in the outermost message.
    public let offset: Int
    /// The value of a varint, fixed64 or fixed32 field.
    @usableFromInline let scalar: UInt64
    /// The bytes of a length-delimited field or a group.
    @usableFromInline let payload: UnsafeRawBufferPointer
    /// The offset of `payload` in the outermost message (meaningful for those fields only).
    @usableFromInline let payloadOffset: Int
    /// The nesting depth of the message the field is in.
    @usableFromInline let depth: Int
    /// The deepest nesting allowed.
    @usableFromInline let maxDepth: Int

    @inlinable
    init(
        number: Int, wireType: ProtobufWireType, tagOffset: Int, scalar: UInt64, payload: UnsafeRawBufferPointer,
        payloadOffset: Int, depth: Int, maxDepth: Int
    ) {
        self.number = number
        self.wireType = wireType
        self.offset = tagOffset
        self.scalar = scalar
        self.payload = payload
        self.payloadOffset = payloadOffset
        self.depth = depth
        self.maxDepth = maxDepth
    }

    /// Throws unless the field has `expected` wire type.
    @inlinable
    func check(_ expected: ProtobufWireType) throws(ProtobufWireError) {
        if wireType != expected {
            throw ProtobufWireError(.wireTypeMismatch(field: number, expected: expected, found: wireType), offset: offset)
        }
    }

    /// A `uint64` value.
    public func uint64() throws(ProtobufWireError) -> UInt64 {
        try check(.varint)
        return scalar
    }

    /// A `uint32` value: the low 32 bits of the varint, as protobuf's parsers take it.
    public func uint32() throws(ProtobufWireError) -> UInt32 {
        try check(.varint)
        return UInt32(truncatingIfNeeded: scalar)
    }

    /// An `int64` value.
    public func int64() throws(ProtobufWireError) -> Int64 {
        try check(.varint)
        return Int64(bitPattern: scalar)
    }

    /// An `int32` or `enum` value: the low 32 bits of the varint, as protobuf's parsers take it.
    public func int32() throws(ProtobufWireError) -> Int32 {
        try check(.varint)
        return Int32(truncatingIfNeeded: scalar)
    }

    /// A `sint64` value (ZigZag).
    public func sint64() throws(ProtobufWireError) -> Int64 {
        try check(.varint)
        return ProtobufVarint.unZigZag(scalar)
    }

    /// A `sint32` value (ZigZag of the low 32 bits).
    public func sint32() throws(ProtobufWireError) -> Int32 {
        try check(.varint)
        return Int32(truncatingIfNeeded: ProtobufVarint.unZigZag(scalar & 0xFFFF_FFFF))
    }

    /// A `bool` value: any non-zero varint is true.
    public func bool() throws(ProtobufWireError) -> Bool {
        try check(.varint)
        return scalar != 0
    }

    /// A `fixed64` value.
    public func fixed64() throws(ProtobufWireError) -> UInt64 {
        try check(.fixed64)
        return scalar
    }

    /// A `sfixed64` value.
    public func sfixed64() throws(ProtobufWireError) -> Int64 {
        try check(.fixed64)
        return Int64(bitPattern: scalar)
    }

    /// A `double` value.
    public func double() throws(ProtobufWireError) -> Double {
        try check(.fixed64)
        return Double(bitPattern: scalar)
    }

    /// A `fixed32` value.
    public func fixed32() throws(ProtobufWireError) -> UInt32 {
        try check(.fixed32)
        return UInt32(truncatingIfNeeded: scalar)
    }

    /// A `sfixed32` value.
    public func sfixed32() throws(ProtobufWireError) -> Int32 {
        try check(.fixed32)
        return Int32(bitPattern: UInt32(truncatingIfNeeded: scalar))
    }

    /// A `float` value.
    public func float() throws(ProtobufWireError) -> Float {
        try check(.fixed32)
        return Float(bitPattern: UInt32(truncatingIfNeeded: scalar))
    }

    /// The bytes of a `bytes` field, in the message's memory.
    public func bytes() throws(ProtobufWireError) -> UnsafeRawBufferPointer {
        try check(.lengthDelimited)
        return payload
    }

    /// The offset in the outermost message of the first byte of a length-delimited value.
    public var valueOffset: Int { payloadOffset }

    /// The bytes of a `string` value, in the message's memory, checked as UTF-8 as `string()`
    /// checks them but without making a `String`.
    public func stringBytes() throws(ProtobufWireError) -> UnsafeRawBufferPointer {
        try check(.lengthDelimited)
        guard ProtobufField.isASCII(payload) else {
            var bytes = payload.makeIterator()
            var decoder = UTF8()
            while true {
                switch decoder.decode(&bytes) {
                case .scalarValue: continue
                case .emptyInput: return payload
                case .error: throw ProtobufWireError(.invalidUTF8, offset: payloadOffset)
                }
            }
        }
        return payload
    }

    /// A `string` value; its bytes must be valid UTF-8.
    public func string() throws(ProtobufWireError) -> String {
        try check(.lengthDelimited)
        let text = String(decoding: payload, as: UTF8.self)
        // `String(decoding:as:)` replaces ill-formed UTF-8; ASCII, or bytes that come through unchanged, were valid.
        if !ProtobufField.isASCII(payload) {
            let unchanged = text.utf8.withContiguousStorageIfAvailable { UnsafeRawBufferPointer($0).elementsEqual(payload) }
            guard unchanged ?? text.utf8.elementsEqual(payload) else {
                throw ProtobufWireError(.invalidUTF8, offset: payloadOffset)
            }
        }
        return text
    }

    /// Whether every byte is below 0x80, eight at a time.
    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var highBits: UInt64 = 0
        var index = 0
        while index &+ 8 <= bytes.count {
            highBits |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index &+= 8
        }
        while index < bytes.count {
            highBits |= UInt64(bytes[index])
            index &+= 1
        }
        return highBits & 0x8080_8080_8080_8080 == 0
    }

    /// A reader of an embedded message (built in the caller, like a field: see `nextField()`).
    @inlinable
    public func message() throws(ProtobufWireError) -> ProtobufReader {
        try check(.lengthDelimited)
        if depth + 1 > maxDepth { throw ProtobufWireError(.nestingTooDeep(limit: maxDepth), offset: payloadOffset) }
        return ProtobufReader(payload, baseOffset: payloadOffset, depth: depth + 1, maxDepth: maxDepth)
    }

    /// The elements of a repeated varint field, packed or not: calls `body` with each.
    public func forEachVarint(_ body: (UInt64) throws(ProtobufWireError) -> Void) throws(ProtobufWireError) {
        if wireType == .varint { return try body(scalar) }
        try check(.lengthDelimited)
        var reader = ProtobufReader(payload, baseOffset: payloadOffset, depth: depth, maxDepth: maxDepth)
        while !reader.isAtEnd { try body(try reader.readVarint()) }
    }

    /// The elements of a repeated `fixed64`, `sfixed64` or `double` field, packed or not, as bit patterns.
    public func forEachFixed64(_ body: (UInt64) throws(ProtobufWireError) -> Void) throws(ProtobufWireError) {
        if wireType == .fixed64 { return try body(scalar) }
        try check(.lengthDelimited)
        guard payload.count % 8 == 0 else { throw ProtobufWireError(.partialPackedElement, offset: payloadOffset) }
        var index = 0
        while index < payload.count {
            try body(UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            index += 8
        }
    }

    /// The elements of a repeated `fixed32`, `sfixed32` or `float` field, packed or not, as bit patterns.
    public func forEachFixed32(_ body: (UInt32) throws(ProtobufWireError) -> Void) throws(ProtobufWireError) {
        if wireType == .fixed32 { return try body(UInt32(truncatingIfNeeded: scalar)) }
        try check(.lengthDelimited)
        guard payload.count % 4 == 0 else { throw ProtobufWireError(.partialPackedElement, offset: payloadOffset) }
        var index = 0
        while index < payload.count {
            try body(UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: index, as: UInt32.self)))
            index += 4
        }
    }
}
