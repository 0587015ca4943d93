public import W3CTraceContext

/// Samples a ratio of traces from their ids (`TraceIdRatioBased`), deciding as OpenTelemetry's
/// Python, Go and Java SDKs do: sampled when the last eight bytes of the trace id, read as a
/// big-endian number, are below `bound = round(ratio · 2^64)` (ties to even, as Python's `round`).
/// The parent's sampled flag is ignored (use it as a delegate of `ParentBasedSampler` to follow
/// it) and its `tracestate` is passed on unchanged.
///
/// A sampler with a ratio samples every trace that one with a lower ratio samples. The `ot`
/// threshold is neither read nor written: for consistent probability sampling across services,
/// see `ProbabilitySampler`.
public struct TraceIDRatioBasedSampler: Sampler {
    /// The ratio of traces sampled, from 0 to 1.
    public let ratio: Double
    /// `round(ratio · 2^64)`: 2^64 for ratio 1, which samples every trace.
    public let bound: UInt128

    /// A sampler of `ratio` (0 to 1) of the traces.
    public init(ratio: Double) throws(SamplerConfigurationError) {
        self.ratio = ratio
        self.bound = try Self.bound(ratio: ratio)
    }

    /// `round(ratio · 2^64)` with ties to even, for a ratio from 0 to 1 (the product is exact).
    static func bound(ratio: Double) throws(SamplerConfigurationError) -> UInt128 {
        guard ratio >= 0, ratio <= 1 else { throw .ratioOutOfRange(ratio) }
        return UInt128((ratio * 0x1p64).rounded(.toNearestOrEven))
    }

    /// `recordAndSample` when the trace id's last eight bytes are below `bound`, else `drop`.
    @inlinable
    public func shouldSample(parent: ParentSpanContext?, traceID: TraceID) -> SamplingResult {
        SamplingResult(
            decision: UInt128(traceID.low) < bound ? .recordAndSample : .drop, traceState: traceState(of: parent))
    }

    /// `TraceIdRatioBased{RATIO}`, as the specification requires.
    public var description: String { "TraceIdRatioBased{\(ratio)}" }
}
