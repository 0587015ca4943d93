/// Reads the fields of one protobuf message from its bytes, in wire order, without copying.
///
/// Every field comes back as a `ProtobufField` whose value is a view of the same bytes; the
/// caller reads the fields it knows with the field's typed accessors and skips the others by
/// going on to the next. Groups (wire types 3 and 4) are checked and handed over whole.
/// Offsets in errors count from the start of the outermost message.
///
/// ```swift
/// var reader = ProtobufReader(bytes)
/// while let field = try reader.nextField() {
///     switch field.number {
///     case 1: name = try field.string()
///     case 2: var span = try field.message(); …
///     default: break
///     }
/// }
/// ```
public struct ProtobufReader {
    /// The message's bytes.
    public let bytes: UnsafeRawBufferPointer
    /// The offset of `bytes` in the outermost message.
    public let baseOffset: Int
    /// How many messages enclose this one (0 for the outermost).
    public let depth: Int
    /// The deepest nesting of messages and groups allowed.
    public let maxDepth: Int
    /// Where the next field starts (the storage of `position`).
    @usableFromInline var _position = 0
    /// Where the next field starts, as an index into `bytes`.
    public var position: Int { _position }

    /// The default limit on nesting, as protobuf's own parsers have it.
    public static let defaultMaxDepth = 100

    /// A reader of the message in `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = ProtobufReader.defaultMaxDepth) {
        self.init(bytes, baseOffset: 0, depth: 0, maxDepth: maxDepth)
    }

    @usableFromInline
    init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int, depth: Int, maxDepth: Int) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.depth = depth
        self.maxDepth = maxDepth
    }

    /// Whether every field has been read.
    public var isAtEnd: Bool { _position >= bytes.count }

    /// The offset in the outermost message of the next byte to read.
    public var offset: Int { baseOffset + _position }

    /// Reads the next field, or returns `nil` at the end of the message.
    ///
    /// Inlined into the caller, it builds the field from the four words `readFieldParts()` returns
    /// in registers: a field returned whole through memory costs a stalled copy in every decoding
    /// loop (its parts are stored one size and loaded another), a fifth of the time of decoding.
    @inlinable
    public mutating func nextField() throws(ProtobufWireError) -> ProtobufField? {
        let parts = try readFieldParts()
        if parts.header == 0 { return nil }
        let wireType = ProtobufWireType(rawValue: UInt8(truncatingIfNeeded: parts.header & 7))!
        let start = Int(truncatingIfNeeded: parts.value)
        let payload =
            parts.length < 0
            ? UnsafeRawBufferPointer(start: nil, count: 0)
            : UnsafeRawBufferPointer(start: bytes.baseAddress.map { $0 + start }, count: parts.length)
        return ProtobufField(
            number: parts.header &>> 3, wireType: wireType, tagOffset: baseOffset &+ parts.tagPosition,
            scalar: parts.value, payload: payload, payloadOffset: baseOffset &+ start, depth: depth, maxDepth: maxDepth)
    }

    /// Reads the next field and returns it in four words, which come back in registers: `header` is
    /// the field number times 8 plus the wire type (0 at the end of the message); `value` is a
    /// scalar's value, or where a payload starts in `bytes`; `length` is the payload's length, or -1
    /// for a scalar.
    @usableFromInline
    mutating func readFieldParts() throws(ProtobufWireError) -> (header: Int, tagPosition: Int, value: UInt64, length: Int) {
        if _position >= bytes.count { return (0, 0, 0, -1) }
        let tagOffset = _position
        let tag = try readVarint()
        let number = tag &>> 3
        guard number > 0, number < 1 << 29 else {
            throw ProtobufWireError(.invalidFieldNumber(number), offset: baseOffset + tagOffset)
        }
        let header = Int(truncatingIfNeeded: tag & ~7)
        switch tag & 7 {
        case 0:
            return (header | 0, tagOffset, try readVarint(), -1)
        case 1:
            return (header | 1, tagOffset, try readFixed(8), -1)
        case 2:
            let lengthOffset = _position
            let length = try readVarint()
            guard length <= UInt64(bytes.count &- _position) else {
                throw ProtobufWireError(.lengthPastEnd(length: length), offset: baseOffset + lengthOffset)
            }
            let start = _position
            _position &+= Int(length)
            return (header | 2, tagOffset, UInt64(start), Int(length))
        case 3:
            let start = _position
            let end = try skipGroup(Int(number), depth: depth + 1)
            return (header | 3, tagOffset, UInt64(start), end - start)
        case 4:
            throw ProtobufWireError(.unmatchedEndGroup, offset: baseOffset + tagOffset)
        case 5:
            return (header | 5, tagOffset, try readFixed(4), -1)
        default:
            throw ProtobufWireError(.invalidWireType(UInt8(truncatingIfNeeded: tag & 7)), offset: baseOffset + tagOffset)
        }
    }

    /// Reads a varint at `position`: at most ten bytes, the tenth at most 1.
    @inline(__always)
    mutating func readVarint() throws(ProtobufWireError) -> UInt64 {
        guard _position < bytes.count else { throw ProtobufWireError(.truncated, offset: baseOffset + bytes.count) }
        let first = bytes[_position]
        if first < 0x80 {
            _position &+= 1
            return UInt64(first)
        }
        return try readLongVarint()
    }

    private mutating func readLongVarint() throws(ProtobufWireError) -> UInt64 {
        let start = _position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard _position < bytes.count else { throw ProtobufWireError(.truncated, offset: baseOffset + bytes.count) }
            let byte = bytes[_position]
            _position &+= 1
            if shift == 63 && byte > 1 { throw ProtobufWireError(.malformedVarint, offset: baseOffset + start) }
            value |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { return value }
            shift &+= 7
        }
    }

    /// Reads `size` (4 or 8) little-endian bytes.
    @inline(__always)
    mutating func readFixed(_ size: Int) throws(ProtobufWireError) -> UInt64 {
        guard bytes.count - _position >= size else { throw ProtobufWireError(.truncated, offset: baseOffset + bytes.count) }
        let value =
            size == 8
            ? UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: _position, as: UInt64.self))
            : UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: _position, as: UInt32.self)))
        _position &+= size
        return value
    }

    /// Skips the fields of a group up to its end-group tag, checking them; returns where that tag starts.
    mutating func skipGroup(_ field: Int, depth: Int) throws(ProtobufWireError) -> Int {
        if depth > maxDepth { throw ProtobufWireError(.nestingTooDeep(limit: maxDepth), offset: offset) }
        while true {
            guard _position < bytes.count else { throw ProtobufWireError(.truncated, offset: baseOffset + bytes.count) }
            let tagOffset = _position
            let tag = try readVarint()
            let wireTypeBits = UInt8(truncatingIfNeeded: tag & 7)
            let number = tag &>> 3
            switch wireTypeBits {
            case ProtobufWireType.varint.rawValue: _ = try readVarint()
            case ProtobufWireType.fixed64.rawValue: _ = try readFixed(8)
            case ProtobufWireType.fixed32.rawValue: _ = try readFixed(4)
            case ProtobufWireType.lengthDelimited.rawValue:
                let lengthOffset = _position
                let length = try readVarint()
                guard length <= UInt64(bytes.count - _position) else {
                    throw ProtobufWireError(.lengthPastEnd(length: length), offset: baseOffset + lengthOffset)
                }
                _position += Int(length)
            case ProtobufWireType.startGroup.rawValue:
                guard number > 0, number < 1 << 29 else {
                    throw ProtobufWireError(.invalidFieldNumber(number), offset: baseOffset + tagOffset)
                }
                _ = try skipGroup(Int(number), depth: depth + 1)
            case ProtobufWireType.endGroup.rawValue:
                guard number == UInt64(field) else { throw ProtobufWireError(.unmatchedEndGroup, offset: baseOffset + tagOffset) }
                return tagOffset
            default:
                throw ProtobufWireError(.invalidWireType(wireTypeBits), offset: baseOffset + tagOffset)
            }
            if number == 0 || number >= 1 << 29 {
                throw ProtobufWireError(.invalidFieldNumber(number), offset: baseOffset + tagOffset)
            }
        }
    }
}
