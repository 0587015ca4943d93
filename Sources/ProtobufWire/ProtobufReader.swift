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
    /// Where the next field starts, as an index into `bytes`.
    public private(set) var position = 0

    /// The default limit on nesting, as protobuf's own parsers have it.
    public static let defaultMaxDepth = 100

    /// A reader of the message in `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = ProtobufReader.defaultMaxDepth) {
        self.init(bytes, baseOffset: 0, depth: 0, maxDepth: maxDepth)
    }

    init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int, depth: Int, maxDepth: Int) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.depth = depth
        self.maxDepth = maxDepth
    }

    /// Whether every field has been read.
    public var isAtEnd: Bool { position >= bytes.count }

    /// The offset in the outermost message of the next byte to read.
    public var offset: Int { baseOffset + position }

    /// Reads the next field, or returns `nil` at the end of the message.
    public mutating func nextField() throws(ProtobufWireError) -> ProtobufField? {
        if position >= bytes.count { return nil }
        let tagOffset = position
        let tag = try readVarint()
        let number = tag &>> 3
        guard number > 0, number < 1 << 29 else {
            throw ProtobufWireError(.invalidFieldNumber(number), offset: baseOffset + tagOffset)
        }
        let field = Int(number)
        switch tag & 7 {
        case 0:
            let value = try readVarint()
            return ProtobufField(number: field, wireType: .varint, scalar: value, in: self, tagAt: tagOffset)
        case 1:
            let value = try readFixed(8)
            return ProtobufField(number: field, wireType: .fixed64, scalar: value, in: self, tagAt: tagOffset)
        case 2:
            let lengthOffset = position
            let length = try readVarint()
            guard length <= UInt64(bytes.count &- position) else {
                throw ProtobufWireError(.lengthPastEnd(length: length), offset: baseOffset + lengthOffset)
            }
            let start = position
            position &+= Int(length)
            return ProtobufField(number: field, wireType: .lengthDelimited, payload: start..<position, in: self, tagAt: tagOffset)
        case 3:
            let start = position
            let end = try skipGroup(field, depth: depth + 1)
            return ProtobufField(number: field, wireType: .startGroup, payload: start..<end, in: self, tagAt: tagOffset)
        case 4:
            throw ProtobufWireError(.unmatchedEndGroup, offset: baseOffset + tagOffset)
        case 5:
            let value = try readFixed(4)
            return ProtobufField(number: field, wireType: .fixed32, scalar: value, in: self, tagAt: tagOffset)
        default:
            throw ProtobufWireError(.invalidWireType(UInt8(truncatingIfNeeded: tag & 7)), offset: baseOffset + tagOffset)
        }
    }

    /// Reads a varint at `position`: at most ten bytes, the tenth at most 1.
    @inline(__always)
    mutating func readVarint() throws(ProtobufWireError) -> UInt64 {
        guard position < bytes.count else { throw ProtobufWireError(.truncated, offset: baseOffset + bytes.count) }
        let first = bytes[position]
        if first < 0x80 {
            position &+= 1
            return UInt64(first)
        }
        return try readLongVarint()
    }

    private mutating func readLongVarint() throws(ProtobufWireError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw ProtobufWireError(.truncated, offset: baseOffset + bytes.count) }
            let byte = bytes[position]
            position &+= 1
            if shift == 63 && byte > 1 { throw ProtobufWireError(.malformedVarint, offset: baseOffset + start) }
            value |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { return value }
            shift &+= 7
        }
    }

    /// Reads `size` (4 or 8) little-endian bytes.
    @inline(__always)
    private mutating func readFixed(_ size: Int) throws(ProtobufWireError) -> UInt64 {
        guard bytes.count - position >= size else { throw ProtobufWireError(.truncated, offset: baseOffset + bytes.count) }
        let value =
            size == 8
            ? UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            : UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
        position &+= size
        return value
    }

    /// Skips the fields of a group up to its end-group tag, checking them; returns where that tag starts.
    private mutating func skipGroup(_ field: Int, depth: Int) throws(ProtobufWireError) -> Int {
        if depth > maxDepth { throw ProtobufWireError(.nestingTooDeep(limit: maxDepth), offset: offset) }
        while true {
            guard position < bytes.count else { throw ProtobufWireError(.truncated, offset: baseOffset + bytes.count) }
            let tagOffset = position
            let tag = try readVarint()
            let wireTypeBits = UInt8(truncatingIfNeeded: tag & 7)
            let number = tag &>> 3
            switch wireTypeBits {
            case ProtobufWireType.varint.rawValue: _ = try readVarint()
            case ProtobufWireType.fixed64.rawValue: _ = try readFixed(8)
            case ProtobufWireType.fixed32.rawValue: _ = try readFixed(4)
            case ProtobufWireType.lengthDelimited.rawValue:
                let lengthOffset = position
                let length = try readVarint()
                guard length <= UInt64(bytes.count - position) else {
                    throw ProtobufWireError(.lengthPastEnd(length: length), offset: baseOffset + lengthOffset)
                }
                position += Int(length)
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
