public import W3CTraceContext

/// Samples no span (`AlwaysOff`), with the parent's `tracestate` unchanged.
public struct AlwaysOffSampler: Sampler {
    /// The sampler.
    public init() {}

    /// `drop`.
    @inlinable
    public func shouldSample(parent: ParentSpanContext?, traceID: TraceID) -> SamplingResult {
        SamplingResult(decision: .drop, traceState: traceState(of: parent))
    }

    /// `AlwaysOffSampler`, as the specification requires.
    public var description: String { "AlwaysOffSampler" }
}
