/// How an `UpstreamBalancer` chooses, ejects and readmits upstreams. The defaults are Envoy's
/// (outlier detection and health checking) where Envoy has one.
public struct BalancerConfiguration: Sendable, Hashable {
    /// How to choose among the available upstreams; `.leastOutstanding` by default.
    public var strategy: BalancingStrategy
    /// Failures in a row (`failure` or `notSent`) after which an upstream is ejected; 5 by
    /// default, at least 1.
    public var consecutiveFailures: Int
    /// How long a first ejection lasts; each further ejection lasts this times the number of
    /// times the upstream has been ejected (see `UpstreamBalancer`). 30 s by default.
    public var baseEjectionTime: Duration
    /// The longest an ejection lasts; 300 s by default, at least `baseEjectionTime`.
    public var maxEjectionTime: Duration
    /// The most upstreams ejected at once, in percent of them, rounded down; 50 by default,
    /// from 0 (ejection off) to 100. At least one upstream always stays in rotation.
    public var maxEjectionPercent: Int
    /// Failed active health checks in a row after which an upstream is unhealthy; 2 by
    /// default, at least 1.
    public var unhealthyThreshold: Int
    /// Passed active health checks in a row after which an unhealthy upstream is healthy again;
    /// 2 by default, at least 1.
    public var healthyThreshold: Int

    /// A configuration with the given values; each left out is its default.
    public init(
        strategy: BalancingStrategy = .leastOutstanding,
        consecutiveFailures: Int = 5,
        baseEjectionTime: Duration = .seconds(30),
        maxEjectionTime: Duration = .seconds(300),
        maxEjectionPercent: Int = 50,
        unhealthyThreshold: Int = 2,
        healthyThreshold: Int = 2
    ) {
        self.strategy = strategy
        self.consecutiveFailures = consecutiveFailures
        self.baseEjectionTime = baseEjectionTime
        self.maxEjectionTime = maxEjectionTime
        self.maxEjectionPercent = maxEjectionPercent
        self.unhealthyThreshold = unhealthyThreshold
        self.healthyThreshold = healthyThreshold
    }

    /// Throws `invalidConfiguration` naming the first value out of range.
    func validate() throws(BalancerError) {
        guard consecutiveFailures >= 1 else { throw .invalidConfiguration("consecutiveFailures must be at least 1") }
        guard baseEjectionTime > .zero else { throw .invalidConfiguration("baseEjectionTime must be positive") }
        guard maxEjectionTime >= baseEjectionTime else {
            throw .invalidConfiguration("maxEjectionTime must be at least baseEjectionTime")
        }
        guard (0...100).contains(maxEjectionPercent) else {
            throw .invalidConfiguration("maxEjectionPercent must be from 0 to 100")
        }
        guard unhealthyThreshold >= 1 else { throw .invalidConfiguration("unhealthyThreshold must be at least 1") }
        guard healthyThreshold >= 1 else { throw .invalidConfiguration("healthyThreshold must be at least 1") }
    }
}
