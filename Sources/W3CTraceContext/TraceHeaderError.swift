/// Why a request's trace header fields of one format were rejected.
public enum TraceHeaderError: Error, Hashable, Sendable {
    /// `traceparent` was sent more than once (the W3C test suite expects the trace to restart);
    /// how many times.
    case duplicateTraceparent(Int)
    /// `traceparent` is invalid.
    case traceparent(TraceparentError)
    /// `tracestate` is invalid and was discarded; the `traceparent` beside it still counts.
    case tracestate(TraceStateError)
    /// `b3` is invalid.
    case b3Single(B3Error)
    /// The `x-b3-` headers are invalid.
    case b3Multiple(B3Error)
    /// `uber-trace-id` is invalid.
    case uberTraceID(UberTraceIDError)
}
