/// Why protobuf bytes could not be read, and where.
public struct ProtobufWireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        /// The bytes ended inside a tag or a value.
        case truncated
        /// A varint longer than ten bytes, or whose tenth byte carries bits beyond 64.
        case malformedVarint
        /// A tag whose wire type is 6 or 7.
        case invalidWireType(UInt8)
        /// A tag with field number 0, or above 2^29 - 1.
        case invalidFieldNumber(UInt64)
        /// A length prefix that runs past the end of the enclosing message.
        case lengthPastEnd(length: UInt64)
        /// An end-group tag with no group open, or a group closed with another field number.
        case unmatchedEndGroup
        /// A field with another wire type than its declared type takes.
        case wireTypeMismatch(field: Int, expected: ProtobufWireType, found: ProtobufWireType)
        /// A packed repeated field whose length is not a whole number of its fixed-size elements.
        case partialPackedElement
        /// Messages or groups nested deeper than the limit.
        case nestingTooDeep(limit: Int)
        /// A `string` field that is not valid UTF-8.
        case invalidUTF8
    }

    /// What was wrong.
    public var reason: Reason
    /// The offset, from the start of the outermost message, of the tag or value that was wrong.
    public var offset: Int

    /// Creates an error.
    @inlinable
    public init(_ reason: Reason, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// `offset 12: truncated`.
    public var description: String { "offset \(offset): \(reason)" }
}

extension ProtobufWireError.Reason: CustomStringConvertible {
    /// A short reason.
    public var description: String {
        switch self {
        case .truncated: return "message truncated"
        case .malformedVarint: return "malformed varint"
        case .invalidWireType(let type): return "invalid wire type \(type)"
        case .invalidFieldNumber(let number): return "invalid field number \(number)"
        case .lengthPastEnd(let length): return "length \(length) runs past the end of the message"
        case .unmatchedEndGroup: return "end-group tag without a matching start"
        case .wireTypeMismatch(let field, let expected, let found):
            return "field \(field) has wire type \(found), expected \(expected)"
        case .partialPackedElement: return "packed field length is not a multiple of its element size"
        case .nestingTooDeep(let limit): return "messages nested deeper than \(limit)"
        case .invalidUTF8: return "string field is not valid UTF-8"
        }
    }
}
