/// A B3 sampling decision. B3's fourth state, defer ("not decided yet"), is the absence of one
/// and is written `nil` where a decision is optional.
public enum B3SamplingState: Hashable, Sendable {
    /// Do not record: `0` (`X-B3-Sampled: 0`).
    case deny
    /// Record: `1` (`X-B3-Sampled: 1`).
    case accept
    /// Record, and mark every span as debug: `d` (`X-B3-Flags: 1`). Implies accept.
    case debug

    /// The decision a context carries: `debug` for a debug context, otherwise accept or deny.
    public init(_ context: TraceContext) {
        self = context.isDebug ? .debug : context.isSampled ? .accept : .deny
    }
}
