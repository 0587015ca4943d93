public import W3CTraceContext

/// Decides whether a new span is recorded and sampled (OpenTelemetry's `Sampler`), from
/// what is known before the span starts.
///
/// Samplers are value types that compose generically (`ParentBasedSampler<Root, …>`), so that a
/// decision is specialized code with no dynamic dispatch and, in the common cases, no allocation.
public protocol Sampler: Sendable, CustomStringConvertible {
    /// The decision for a span of trace `traceID` created under `parent` (`nil` for a root span;
    /// a parent whose ids are not valid counts as none), and the `tracestate` it carries
    /// (`ShouldSample`). When there is a valid parent, `traceID` is the parent's.
    func shouldSample(parent: ParentSpanContext?, traceID: TraceID) -> SamplingResult
}
