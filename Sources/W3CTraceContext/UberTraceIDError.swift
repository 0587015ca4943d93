/// Why an `uber-trace-id` value was rejected. Offsets count bytes from the start of the value
/// after its surrounding spaces and tabs are trimmed, as sent (before `%3A` is read as `:`).
public enum UberTraceIDError: Error, Hashable, Sendable {
    /// The value, spaces included, is longer than `UberTraceID.maximumLength` bytes.
    case tooLong(Int)
    /// The value does not have four fields separated by `:` (or `%3A`); how many it has.
    case wrongFieldCount(Int)
    /// The trace id is empty or longer than 32 hex digits; its length.
    case invalidTraceIDLength(Int)
    /// The span id is empty or longer than 16 hex digits; its length.
    case invalidSpanIDLength(Int)
    /// A byte of the trace id or span id is not a hex digit.
    case invalidHexDigit(offset: Int)
    /// The trace id is zero.
    case zeroTraceID
    /// The span id is zero.
    case zeroSpanID
    /// The flags are not 1 to 16 hex digits: the offset of the first byte that is not one, or of
    /// the field when it is empty or too long.
    case invalidFlags(offset: Int)
}
