/// How `UpstreamBalancer` chooses among the available upstreams.
public enum BalancingStrategy: Sendable, Hashable {
    /// Power of two random choices over least outstanding requests (Envoy's `LEAST_REQUEST`):
    /// two different available upstreams are drawn at random and the one with fewer requests in
    /// flight wins, a tie going to either at random. An upstream that answers slowly keeps more
    /// requests in flight and so wins fewer draws; a single comparison per pick, with no global
    /// ordering to keep up to date.
    case leastOutstanding
    /// Each available upstream in turn, whatever its load.
    case roundRobin
}
