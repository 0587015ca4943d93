/// The trace context of a request, whichever header carried it: W3C `traceparent` and
/// `tracestate`, Jaeger's `uber-trace-id`, or B3's single or multiple headers.
public struct TraceContext: Hashable, Sendable {
    /// The trace id. Headers with 64-bit trace ids (Jaeger, B3) give a `high` half of zero.
    public var traceID: TraceID
    /// The caller's span: `parent-id` of `traceparent`, the span id of Jaeger and B3.
    public var spanID: SpanID
    /// The flags, with only the bits that W3C Trace Context defines.
    public var flags: TraceFlags
    /// The vendor entries of `tracestate`; empty for other headers.
    public var traceState: TraceState
    /// The parent of the caller's span, which Jaeger and B3 carry and W3C Trace Context does not.
    public var parentSpanID: SpanID?
    /// Whether the caller asked for debug tracing (B3 `d` or `X-B3-Flags: 1`, Jaeger flag `0x02`).
    /// A debug context is also sampled.
    public var isDebug: Bool

    /// A context from its parts.
    public init(
        traceID: TraceID, spanID: SpanID, flags: TraceFlags = [], traceState: TraceState = TraceState(),
        parentSpanID: SpanID? = nil, isDebug: Bool = false
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags.intersection(.defined)
        self.traceState = traceState
        self.parentSpanID = parentSpanID
        self.isDebug = isDebug
    }

    /// The context of a `traceparent` value and its `tracestate`. Flags this specification does not
    /// define are dropped, as a participant must send them as zero.
    public init(traceparent: Traceparent, traceState: TraceState = TraceState()) {
        self.init(traceID: traceparent.traceID, spanID: traceparent.parentID, flags: traceparent.flags, traceState: traceState)
    }

    /// Whether the caller sampled the trace.
    public var isSampled: Bool { flags.contains(.sampled) }

    /// The `traceparent` that carries this context (version `00`).
    public var traceparent: Traceparent {
        Traceparent(traceID: traceID, parentID: spanID, flags: flags)
    }
}
