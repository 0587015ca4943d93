public import W3CTraceContext

/// Samples every span (`AlwaysOn`), with the parent's `tracestate` unchanged.
public struct AlwaysOnSampler: Sampler {
    /// The sampler.
    public init() {}

    /// `recordAndSample`.
    @inlinable
    public func shouldSample(parent: ParentSpanContext?, traceID: TraceID) -> SamplingResult {
        SamplingResult(decision: .recordAndSample, traceState: traceState(of: parent))
    }

    /// `AlwaysOnSampler`, as the specification requires.
    public var description: String { "AlwaysOnSampler" }
}
