/// How a request sent through a lease ended, as `UpstreamLease.finish(_:)` records it.
public enum UpstreamOutcome: Sendable, Hashable {
    /// The upstream answered (any status below 500): resets its run of consecutive failures.
    case success
    /// The upstream failed the request after it was sent: it answered 5xx, reset the connection
    /// or timed out. Counts toward ejection. The request must not be sent again elsewhere: the
    /// upstream may have acted on it.
    case failure
    /// The request never reached the upstream: the connection was refused or failed before any
    /// byte of the request was written. Counts toward ejection, and the caller may send the
    /// request to another upstream (`pick(excluding:)`), since this one cannot have seen it.
    case notSent
    /// No verdict on the upstream: the client went away, or the gateway gave up for its own
    /// reasons. Only the request in flight is taken off the count. This is what a lease that is
    /// dropped without `finish(_:)` records.
    case released

    /// Whether the request may be sent to another upstream: only when it was not sent
    /// (`notSent`); after a `failure` the upstream may already have acted on it.
    public var mayRetry: Bool { self == .notSent }

    /// Whether the outcome counts toward the upstream's consecutive failures.
    public var countsTowardEjection: Bool { self == .failure || self == .notSent }
}
