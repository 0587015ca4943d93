/// Why B3 headers were rejected. Offsets count bytes from the start of the `b3` value, or of the
/// `X-B3-` header the case names, after surrounding spaces and tabs are trimmed.
public enum B3Error: Error, Hashable, Sendable {
    /// The `b3` value is empty.
    case empty
    /// The `b3` value, spaces included, is longer than `B3Propagation.maximumLength` bytes.
    case tooLong(Int)
    /// The trace id is not 16 or 32 bytes long; its length.
    case invalidTraceIDLength(Int)
    /// The span id is not 16 bytes long; its length.
    case invalidSpanIDLength(Int)
    /// The parent span id is not 16 bytes long; its length.
    case invalidParentSpanIDLength(Int)
    /// A byte of the trace id is not a lowercase hex digit (uppercase included).
    case invalidTraceID(offset: Int)
    /// A byte of the span id is not a lowercase hex digit.
    case invalidSpanID(offset: Int)
    /// A byte of the parent span id is not a lowercase hex digit.
    case invalidParentSpanID(offset: Int)
    /// The trace id is zero.
    case zeroTraceID
    /// The span id is zero.
    case zeroSpanID
    /// The parent span id is zero.
    case zeroParentSpanID
    /// The sampling state is not one of `0`, `1`, `d` (`b3`) or `0`, `1`, `true`, `false`
    /// (`X-B3-Sampled`, any case).
    case invalidSamplingState(offset: Int)
    /// A trace id came without a span id.
    case missingSpanID
    /// A span id came without a trace id.
    case missingTraceID
    /// `X-B3-ParentSpanId` came without a trace id and span id.
    case parentSpanIDWithoutIdentifiers
    /// `b3` has a field past the parent span id; the offset of the dash before it.
    case unexpectedField(offset: Int)
}
