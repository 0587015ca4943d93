/// The request rate limits of a collector (Alloy's `rate_limiting` block): a token bucket of
/// `rate` requests a second with room for `burstSize`, checked before a body is read.
public struct RateLimitingConfiguration: Sendable, Hashable {
    /// What one bucket counts.
    public enum Strategy: String, Sendable, Hashable, CaseIterable {
        /// One bucket for every request the collector takes (Alloy's default).
        case global
        /// One bucket per tenant and application key (the key of `/collect/{app_key}`, or the
        /// API key), so that one application's flood does not starve the others.
        case perApp = "per_app"
    }

    /// The lowest rate above 0: one request a year. Below it a refusal's `Retry-After` would
    /// name more seconds than a header can say; 0 is allowed (the burst, then no refill).
    public static let minimumRate = 1.0 / (365 * 24 * 3600)

    /// How the rate limits are told, for messages.
    public static let rateRule = "0 (no refill) or at least one request a year (\(minimumRate) a second)"

    /// Whether requests are limited at all (default true).
    public var enabled: Bool = true
    /// Requests a second (default 50).
    public var rate: Double = 50
    /// How many requests may come at once after a quiet time (default 100).
    public var burstSize: Int = 100
    /// What one bucket counts (default `global`).
    public var strategy: Strategy = .global
    /// With `perApp`, the most application keys tracked at once; the least recently used go first.
    public var maxTrackedApps: Int = 10_000

    /// Alloy's defaults: enabled, 50 a second, bursts of 100, one global bucket.
    public init() {}

    /// Checks the rate and the burst when enabled; problems are named after `owner` (`""` for the
    /// server's limits, `"tenant NAME: "` for a tenant's).
    func check(owner: String) throws(CollectorConfigurationError) {
        guard enabled else { return }
        guard rate >= 0, !rate.isNaN else { throw .invalid("\(owner)rate_limiting.rate must not be negative") }
        guard rate == 0 || rate >= Self.minimumRate else { throw .invalid("\(owner)rate_limiting.rate must be \(Self.rateRule)") }
        guard burstSize >= 0 else { throw .invalid("\(owner)rate_limiting.burst_size must not be negative") }
    }

    /// Limits of `rate` requests a second with bursts of `burstSize`.
    public init(enabled: Bool = true, rate: Double, burstSize: Int, strategy: Strategy = .global) {
        self.enabled = enabled
        self.rate = rate
        self.burstSize = burstSize
        self.strategy = strategy
    }
}
