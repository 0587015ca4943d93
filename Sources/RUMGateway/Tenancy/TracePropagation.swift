public import W3CTraceContext

/// A tenant's trace header policy, with its own policy for some routes: W3CTraceContext's
/// `PropagationPolicy` decides which trace headers pass, which are stripped, and whether the
/// incoming context is trusted, restarted or dropped. The policy's `defaultDecision` is the
/// decision for the tenant (or the route).
public struct TracePropagation: Sendable, Hashable {
    /// A route's own policy: requests whose path (as forwarded) starts with `pathPrefix`.
    public struct Route: Sendable, Hashable {
        /// The path prefix, such as `/v1/traces`; matched on whole segments.
        public var pathPrefix: String
        /// The policy of the route.
        public var policy: PropagationPolicy

        /// The policy `policy` for the paths under `pathPrefix`.
        public init(pathPrefix: String, policy: PropagationPolicy) {
            self.pathPrefix = pathPrefix
            self.policy = policy
        }
    }

    /// The policy of the tenant's routes without one of their own. By default: W3C Trace
    /// Context's headers are read, every other known trace header is stripped and the incoming
    /// trace is restarted.
    public var policy: PropagationPolicy
    /// Routes with their own policy; the longest matching prefix wins.
    public var routes: [Route] {
        didSet { routes.sort { $0.pathPrefix.utf8.count > $1.pathPrefix.utf8.count } }
    }

    /// The policy `policy`, and `routes` with their own.
    public init(policy: PropagationPolicy = PropagationPolicy(), routes: [Route] = []) {
        self.policy = policy
        self.routes = routes.sorted { $0.pathPrefix.utf8.count > $1.pathPrefix.utf8.count }
    }

    /// The policy for a request to `path` (the path as forwarded, query included or not).
    public func policy(forPath path: some StringProtocol) -> PropagationPolicy {
        for route in routes where PathPrefix.matches(route.pathPrefix, path) { return route.policy }
        return policy
    }
}
