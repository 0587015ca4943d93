public import W3CTraceContext

/// A sampler's answer for a new span: the decision and the `tracestate` the span carries.
public struct SamplingResult: Hashable, Sendable {
    /// The decision.
    public var decision: SamplingDecision
    /// The `tracestate` of the new span: the parent's, unless the sampler changed it (for
    /// example its `ot` threshold).
    public var traceState: TraceState

    /// A result from its parts.
    @inlinable
    public init(decision: SamplingDecision, traceState: TraceState) {
        self.decision = decision
        self.traceState = traceState
    }
}
