/// The trace and span that an item was recorded in (`trace.trace_id`, `trace.span_id`).
///
/// Faro sends the ids as the browser's tracing integration formats them, normally
/// lowercase hex; like Alloy, they are kept as sent and not validated.
public struct FaroTraceContext: Sendable, Hashable {
    /// The trace id as sent (`trace_id`).
    public var traceID: String
    /// The span id as sent (`span_id`).
    public var spanID: String

    /// Creates a trace context.
    public init(traceID: String = "", spanID: String = "") {
        self.traceID = traceID
        self.spanID = spanID
    }
}
