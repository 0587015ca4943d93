/// Why a `traceparent` value was rejected. Offsets count bytes from the start of the value
/// after its surrounding spaces and tabs are trimmed.
public enum TraceparentError: Error, Hashable, Sendable {
    /// The value does not start with two lowercase hex digits and a dash.
    case invalidVersion
    /// The version is `ff`, which the specification forbids.
    case forbiddenVersion
    /// The value is shorter than the 55 bytes of version `00`, or longer at version `00`.
    case invalidLength(Int)
    /// The value, spaces included, is longer than `Traceparent.maximumLength` bytes.
    case tooLong(Int)
    /// A dash is missing where the format puts one.
    case missingDash(offset: Int)
    /// A byte of an identifier or of the flags is not a lowercase hex digit (uppercase included).
    case invalidHexDigit(offset: Int)
    /// The trace id is all zeros.
    case zeroTraceID
    /// The parent id is all zeros.
    case zeroParentID
}
