public import W3CTraceContext

/// Consistent probability sampling (`ProbabilitySampler`, on the `ot` entry of `tracestate`):
/// a span is sampled when its randomness `R` is at least the rejection threshold `T`, so that
/// services sampling at different probabilities agree (a trace sampled at one probability is
/// sampled at every higher one) and each sampled span says how many it stands for.
///
/// `R` is the parent's explicit `rv`, else the last 56 bits of the trace id. A sampled span
/// carries `th` (written into `ot`, which moves to the front of `tracestate`; `rv` and other
/// sub-keys are kept); an unsampled one carries none. The parent's sampled flag and threshold are
/// ignored: to follow the parent, use `ParentThresholdSampler`. A malformed `ot` entry is
/// ignored and dropped.
///
/// A decision does not allocate when the parent has no `tracestate`, or when it already carries
/// this sampler's threshold (or none, for a span not sampled).
public struct ProbabilitySampler: Sampler {
    /// The rejection threshold.
    public let threshold: RejectionThreshold
    /// `ot=th:…`: the `tracestate` of a sampled span whose parent had none.
    private let sampledState: TraceState

    /// A sampler of probability `ratio` (2^-56 to 1), its threshold rounded to `precision` hex
    /// digits (4 by default, as the specification recommends; see `RejectionThreshold`).
    public init(ratio: Double, precision: Int = RejectionThreshold.defaultPrecision) throws(SamplerConfigurationError) {
        self.init(threshold: try RejectionThreshold(probability: ratio, precision: precision))
    }

    /// A sampler with the threshold `threshold`.
    public init(threshold: RejectionThreshold) {
        self.threshold = threshold
        self.sampledState = TraceState().settingThreshold(threshold, in: .absent)
    }

    /// `recordAndSample` with the threshold when `R >= T`, else `drop` without one.
    public func shouldSample(parent: ParentSpanContext?, traceID: TraceID) -> SamplingResult {
        let parentState = traceState(of: parent)
        guard !parentState.isEmpty else {
            return threshold.samples(Randomness(traceID: traceID))
                ? SamplingResult(decision: .recordAndSample, traceState: sampledState)
                : SamplingResult(decision: .drop, traceState: parentState)
        }
        let parsed = ParsedOTelTraceState(parentState)
        let sampled = threshold.samples(parsed.randomness ?? Randomness(traceID: traceID))
        return SamplingResult(
            decision: sampled ? .recordAndSample : .drop,
            traceState: parentState.settingThreshold(sampled ? threshold : nil, in: parsed))
    }

    /// `ProbabilitySampler{PROBABILITY}`, the probability that the threshold gives.
    public var description: String { "ProbabilitySampler{\(threshold.probability)}" }
}
