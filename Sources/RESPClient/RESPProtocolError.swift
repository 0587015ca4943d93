/// A reply that does not follow RESP2: the connection that carried it is closed, since nothing
/// after it can be trusted to line up with the commands sent.
public struct RESPProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        /// A reply began with a byte that is no RESP2 type (`+ - : $ *`).
        case unknownType(UInt8)
        /// An integer or length was not a decimal number in range.
        case malformedNumber
        /// A line or a bulk string was not ended by CRLF.
        case missingCRLF
        /// A length was negative other than the null marker -1.
        case negativeLength
        /// A bulk string was longer than the decoder's limit.
        case bulkStringTooLong(limit: Int)
        /// An array had more elements than the decoder's limit.
        case arrayTooLong(limit: Int)
        /// Arrays were nested deeper than the decoder's limit.
        case nestingTooDeep(limit: Int)
        /// A simple string, error or integer line was longer than the decoder's limit.
        case lineTooLong(limit: Int)
    }

    /// What was wrong.
    public let reason: Reason
    /// The offset of the offending byte from the start of the reply.
    public let offset: Int

    /// An error for `reason` at `offset`.
    public init(_ reason: Reason, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// The reason and offset, for logs.
    public var description: String { "RESP protocol error at byte \(offset) of a reply: \(reason)" }
}
