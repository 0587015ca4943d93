public import W3CTraceContext

/// Follows the parent's decision through a delegate for each kind of parent (`ParentBased`):
/// `root` for a span with no (valid) parent, and one each for a remote or local parent that is
/// sampled or not. The defaults, as in the specification: sampled parents `AlwaysOnSampler`,
/// others `AlwaysOffSampler`.
///
/// ```swift
/// let sampler = ParentBasedSampler(root: try TraceIDRatioBasedSampler(ratio: 0.1))
/// let result = sampler.shouldSample(parent: .remote(context), traceID: context.traceID)
/// ```
public struct ParentBasedSampler<
    Root: Sampler, RemoteParentSampled: Sampler, RemoteParentNotSampled: Sampler,
    LocalParentSampled: Sampler, LocalParentNotSampled: Sampler
>: Sampler {
    /// For spans with no parent.
    public let root: Root
    /// For a remote parent that is sampled.
    public let remoteParentSampled: RemoteParentSampled
    /// For a remote parent that is not sampled.
    public let remoteParentNotSampled: RemoteParentNotSampled
    /// For a local parent that is sampled.
    public let localParentSampled: LocalParentSampled
    /// For a local parent that is not sampled.
    public let localParentNotSampled: LocalParentNotSampled

    /// A sampler with all five delegates.
    public init(
        root: Root, remoteParentSampled: RemoteParentSampled, remoteParentNotSampled: RemoteParentNotSampled,
        localParentSampled: LocalParentSampled, localParentNotSampled: LocalParentNotSampled
    ) {
        self.root = root
        self.remoteParentSampled = remoteParentSampled
        self.remoteParentNotSampled = remoteParentNotSampled
        self.localParentSampled = localParentSampled
        self.localParentNotSampled = localParentNotSampled
    }

    /// The decision of the delegate for `parent`.
    @inlinable
    public func shouldSample(parent: ParentSpanContext?, traceID: TraceID) -> SamplingResult {
        guard let parent, parent.isValid else { return root.shouldSample(parent: parent, traceID: traceID) }
        switch (parent.isRemote, parent.isSampled) {
        case (true, true): return remoteParentSampled.shouldSample(parent: parent, traceID: traceID)
        case (true, false): return remoteParentNotSampled.shouldSample(parent: parent, traceID: traceID)
        case (false, true): return localParentSampled.shouldSample(parent: parent, traceID: traceID)
        case (false, false): return localParentNotSampled.shouldSample(parent: parent, traceID: traceID)
        }
    }

    /// `ParentBased{root:…,remoteParentSampled:…,…}`, as OpenTelemetry's SDKs write it.
    public var description: String {
        "ParentBased{root:\(root),remoteParentSampled:\(remoteParentSampled),"
            + "remoteParentNotSampled:\(remoteParentNotSampled),localParentSampled:\(localParentSampled),"
            + "localParentNotSampled:\(localParentNotSampled)}"
    }
}

extension ParentBasedSampler
where
    RemoteParentSampled == AlwaysOnSampler, RemoteParentNotSampled == AlwaysOffSampler,
    LocalParentSampled == AlwaysOnSampler, LocalParentNotSampled == AlwaysOffSampler
{
    /// A sampler with `root` and the default delegates: sampled parents are followed
    /// (`AlwaysOnSampler`), others are not sampled (`AlwaysOffSampler`).
    public init(root: Root) {
        self.init(
            root: root, remoteParentSampled: AlwaysOnSampler(), remoteParentNotSampled: AlwaysOffSampler(),
            localParentSampled: AlwaysOnSampler(), localParentNotSampled: AlwaysOffSampler())
    }
}
