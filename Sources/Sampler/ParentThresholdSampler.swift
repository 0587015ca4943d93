public import W3CTraceContext

/// Follows the parent's decision and keeps its `ot` threshold (`ComposableParentThreshold`):
/// spans with no (valid) parent are decided by `root`; a sampled parent's child is sampled with
/// the parent's `th`, an unsampled parent's child is not sampled and carries no `th`.
///
/// As the specification asks, a parent threshold that the randomness contradicts (the parent is
/// sampled but `R < T`) is erased, and so is one on an unsampled parent; a malformed `ot` entry
/// is dropped. The rest of `tracestate` passes unchanged.
///
/// ```swift
/// let sampler = ParentThresholdSampler(root: try ProbabilitySampler(ratio: 0.1))
/// ```
public struct ParentThresholdSampler<Root: Sampler>: Sampler {
    /// For spans with no parent.
    public let root: Root

    /// A sampler that decides root spans with `root`.
    public init(root: Root) {
        self.root = root
    }

    /// `root`'s decision for a root span; else the parent's, with its threshold if consistent.
    @inlinable
    public func shouldSample(parent: ParentSpanContext?, traceID: TraceID) -> SamplingResult {
        guard let parent, parent.isValid else { return root.shouldSample(parent: parent, traceID: traceID) }
        return followingThreshold(of: parent)
    }

    /// `ParentThreshold{root:…}`.
    public var description: String { "ParentThreshold{root:\(root)}" }
}

/// The decision of a child of `parent` that follows it, with the parent's threshold if it is
/// sampled and consistent.
@usableFromInline
func followingThreshold(of parent: ParentSpanContext) -> SamplingResult {
    let state = parent.traceContext.traceState
    let decision: SamplingDecision = parent.isSampled ? .recordAndSample : .drop
    guard !state.isEmpty else { return SamplingResult(decision: decision, traceState: state) }
    let parsed = ParsedOTelTraceState(state)
    var threshold: RejectionThreshold?
    if parent.isSampled, let parentThreshold = parsed.threshold,
        parentThreshold.samples(parsed.randomness ?? Randomness(traceID: parent.traceContext.traceID))
    {
        threshold = parentThreshold
    }
    return SamplingResult(decision: decision, traceState: state.settingThreshold(threshold, in: parsed))
}
