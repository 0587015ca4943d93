/// The identifiers B3 headers carry, and their sampling state.
public struct B3Context: Hashable, Sendable {
    /// The trace id; a 64-bit trace id has a `high` half of zero.
    public var traceID: TraceID
    /// The caller's span.
    public var spanID: SpanID
    /// The parent of the caller's span; `nil` on a root span.
    public var parentSpanID: SpanID?
    /// The sampling decision; `nil` when deferred to the receiver.
    public var samplingState: B3SamplingState?

    /// A context from its parts.
    public init(traceID: TraceID, spanID: SpanID, parentSpanID: SpanID? = nil, samplingState: B3SamplingState? = nil) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.samplingState = samplingState
    }

    /// The B3 identifiers of a context, with its decision (never deferred).
    public init(_ context: TraceContext) {
        self.init(
            traceID: context.traceID, spanID: context.spanID, parentSpanID: context.parentSpanID,
            samplingState: B3SamplingState(context))
    }
}

extension TraceContext {
    /// The context of B3 identifiers: debug is sampled and `isDebug`, accept is sampled, deny and
    /// a deferred decision are not sampled (OpenTelemetry's B3 propagators read them so).
    public init(b3: B3Context) {
        let sampled = b3.samplingState == .accept || b3.samplingState == .debug
        self.init(
            traceID: b3.traceID, spanID: b3.spanID, flags: sampled ? .sampled : [], parentSpanID: b3.parentSpanID,
            isDebug: b3.samplingState == .debug)
    }
}
