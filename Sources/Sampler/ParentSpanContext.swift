public import W3CTraceContext

/// The span context a new span is created under, as a sampler sees it: the parent's trace
/// context and whether it came from another process (OpenTelemetry's `SpanContext.IsRemote`).
public struct ParentSpanContext: Hashable, Sendable {
    /// The parent's trace id, span id, flags and `tracestate`.
    public var traceContext: TraceContext
    /// Whether the context was received from another process (a header) rather than created here.
    public var isRemote: Bool

    /// A parent context from its parts.
    public init(_ traceContext: TraceContext, isRemote: Bool) {
        self.traceContext = traceContext
        self.isRemote = isRemote
    }

    /// A context received from another process, as a `traceparent` header carries it.
    public static func remote(_ traceContext: TraceContext) -> ParentSpanContext {
        ParentSpanContext(traceContext, isRemote: true)
    }

    /// A context of a span of this process.
    public static func local(_ traceContext: TraceContext) -> ParentSpanContext {
        ParentSpanContext(traceContext, isRemote: false)
    }

    /// Whether the trace id and the span id are both valid (not all zeros); a parent that is not
    /// counts as no parent, as in OpenTelemetry's SDKs.
    @inlinable
    public var isValid: Bool { traceContext.traceID.isValid && traceContext.spanID.isValid }

    /// Whether the parent sampled the trace.
    @inlinable
    public var isSampled: Bool { traceContext.isSampled }
}

/// The `tracestate` that a new span starts from: its parent's, or the empty one when there is no
/// valid parent (as OpenTelemetry's SDKs do, an invalid parent's list is not passed on).
@inlinable
func traceState(of parent: ParentSpanContext?) -> TraceState {
    guard let parent, parent.isValid else { return TraceState() }
    return parent.traceContext.traceState
}
