/// An upstream picked for one request, which counts as in flight until the lease ends. It ends
/// exactly once: `finish(_:)` consumes it, and a lease dropped without `finish(_:)` ends as
/// `released`. Being noncopyable, it cannot be finished twice; code with several completion paths
/// keeps it in an optional and finishes `lease.take()`, which the first path empties.
///
/// ```swift
/// guard let lease = balancer.pick() else { return badGateway }
/// let upstream = lease.upstream
/// // ... connect and send ...
/// lease.finish(.notSent)
/// if let retry = balancer.pick(excluding: [upstream]) { ... }
/// ```
public struct UpstreamLease: ~Copyable, Sendable {
    /// The upstream's name (`127.0.0.1:12347`).
    public let upstream: String
    /// Whether it was picked in panic mode: no upstream other than those excluded was healthy
    /// and in rotation, so the balancer chose among all of them.
    public let isPanic: Bool
    /// The balancer that lent it.
    private let balancer: UpstreamBalancer
    /// The upstream's position in the balancer's list.
    private let index: Int
    /// The outcome that ending the lease records.
    private var outcome = UpstreamOutcome.released

    /// A lease on the upstream at `index`, already counted as in flight.
    init(balancer: UpstreamBalancer, index: Int, upstream: String, isPanic: Bool) {
        self.balancer = balancer
        self.index = index
        self.upstream = upstream
        self.isPanic = isPanic
    }

    /// Ends the lease, recording `outcome` for the upstream. After `notSent` (`outcome.mayRetry`)
    /// the caller may send the request to another upstream, picked with `pick(excluding:)`.
    public consuming func finish(_ outcome: UpstreamOutcome) {
        self.outcome = outcome
    }

    /// Records the outcome: `released` unless `finish(_:)` said otherwise.
    deinit {
        balancer.record(outcome, upstream: index)
    }
}
