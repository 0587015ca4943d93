/// One upstream's state at an instant, for metrics and the admin endpoint.
public struct UpstreamSnapshot: Sendable, Hashable {
    /// The upstream's name, as the balancer was given it (`127.0.0.1:12347`).
    public var name: String
    /// Requests in flight: leases taken and not yet finished.
    public var outstanding: Int
    /// Whether active health checks count it healthy.
    public var isHealthy: Bool
    /// Until when it is ejected, in nanoseconds of the balancer's clock; nil when it is not.
    public var ejectedUntil: Int64?
    /// Whether the balancer picks it outside panic mode: healthy and not ejected.
    public var isAvailable: Bool { isHealthy && ejectedUntil == nil }
    /// Times it was picked.
    public var picks: UInt64
    /// Times it was picked in panic mode (no upstream available), included in `picks`.
    public var panicPicks: UInt64
    /// Requests that ended in `failure`.
    public var failures: UInt64
    /// Requests that ended in `notSent`.
    public var notSent: UInt64
    /// Times it was ejected.
    public var ejections: UInt64
}
