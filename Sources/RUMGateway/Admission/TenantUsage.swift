public import IntakePolicy
import Synchronization
public import TokenBucket

/// A tenant's live state at the gateway: its limiters and counters. It outlives reloads of the
/// tenants file: a tenant that keeps its name keeps its usage, and its limiters take the new
/// limits without losing their tokens.
public final class TenantUsage: Sendable {
    /// The tenant's name.
    public let name: String
    private let requestLimiter: Mutex<GCRALimiter?>
    private let byteLimiter: Mutex<GCRALimiter?>
    private let clientLimiter: Mutex<KeyedRateLimiter<IPAddress>?>
    private let maxConnections = Atomic<Int>(.max)
    private let clock: any RateLimiterClock

    private let connectionCount = Atomic<Int>(0)
    private let requestCount = Atomic<Int>(0)
    private let forwardedCount = Atomic<Int>(0)
    private let rejectedCount = Atomic<Int>(0)
    private let byteCount = Atomic<Int>(0)

    /// The usage of a tenant named `name` with `limits`.
    public init(name: String, limits: TenantLimits, clock: any RateLimiterClock = SystemRateLimiterClock()) {
        self.name = name
        self.clock = clock
        requestLimiter = Mutex(nil)
        byteLimiter = Mutex(nil)
        clientLimiter = Mutex(nil)
        apply(limits)
    }

    /// Takes new limits: existing limiters change rate and burst in place; a limit turned off
    /// drops its limiter.
    public func apply(_ limits: TenantLimits) {
        let now = clock.nanoseconds()
        func update(_ limiter: inout GCRALimiter?, to limit: RateLimit?) {
            guard let limit else { return limiter = nil }
            if let existing = limiter {
                if existing.limit != limit {
                    existing.setRate(limit.rate, at: now)
                    existing.setBurst(limit.burst, at: now)
                }
            } else {
                limiter = GCRALimiter(limit, clock: clock)
            }
        }
        requestLimiter.withLock { update(&$0, to: limits.requests) }
        byteLimiter.withLock { update(&$0, to: limits.bytes) }
        clientLimiter.withLock { limiter in
            guard let limit = limits.perClient else { return limiter = nil }
            if limiter?.limit != limit { limiter = KeyedRateLimiter(limit: limit, maxKeys: 100_000, clock: clock) }
        }
        maxConnections.store(limits.maxConnections ?? .max, ordering: .relaxed)
    }

    // MARK: Limits

    /// Takes one request from the tenant's request limit; the `Retry-After` seconds if there is none.
    func takeRequest() -> Int? {
        guard let limiter = requestLimiter.withLock({ $0 }), !limiter.allow() else { return nil }
        return IntakeRejection.retryAfter(rate: limiter.limit.rate)
    }

    /// Takes one request from `client`'s limit; the `Retry-After` seconds if there is none.
    func takeRequest(from client: IPAddress) -> Int? {
        guard let limiter = clientLimiter.withLock({ $0 }), !limiter.allow(client) else { return nil }
        return IntakeRejection.retryAfter(rate: limiter.limit.rate)
    }

    /// Whether a byte limit is set.
    var limitsBytes: Bool { byteLimiter.withLock { $0 != nil } }

    /// Takes `count` body bytes from the tenant's byte limit: nil when they are there, else the
    /// refusal: 413 quoting the burst when `count` is more than it (they never will be), 429
    /// with `Retry-After` when they will.
    public func takeBytes(_ count: Int) -> IntakeRejection? {
        guard count > 0, let limiter = byteLimiter.withLock({ $0 }) else { return nil }
        if count > limiter.limit.burst { return .payloadTooLarge(limit: limiter.limit.burst) }
        guard !limiter.allow(count) else { return nil }
        let retryAfter = IntakeRejection.retryAfter(rate: limiter.limit.rate / Double(count))
        return .tooManyRequests("tenant byte", retryAfter: retryAfter)
    }

    /// Counts a client connection for the tenant; false (and not counted) at its limit.
    public func openConnection() -> Bool {
        let limit = maxConnections.load(ordering: .relaxed)
        guard connectionCount.wrappingAdd(1, ordering: .relaxed).newValue <= limit else {
            connectionCount.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Ends a connection counted by `openConnection`.
    public func closeConnection() {
        connectionCount.wrappingSubtract(1, ordering: .relaxed)
    }

    // MARK: Counters

    /// Counts a request sent upstream: the caller of `GatewayPolicy.admit` does, once the
    /// request passed whatever it checks after the policy (such as the fleet's limits).
    public func countForwarded() {
        requestCount.wrappingAdd(1, ordering: .relaxed)
        forwardedCount.wrappingAdd(1, ordering: .relaxed)
    }

    /// Counts a request answered at the edge with a refusal (`GatewayPolicy.admit` counts its own).
    public func countRejected() {
        requestCount.wrappingAdd(1, ordering: .relaxed)
        rejectedCount.wrappingAdd(1, ordering: .relaxed)
    }

    /// Counts body bytes sent upstream.
    public func countBytes(_ count: Int) {
        byteCount.wrappingAdd(count, ordering: .relaxed)
    }

    /// The counters now.
    public var snapshot: TenantUsageSnapshot {
        TenantUsageSnapshot(
            name: name, connections: connectionCount.load(ordering: .relaxed), requests: requestCount.load(ordering: .relaxed),
            forwarded: forwardedCount.load(ordering: .relaxed), rejected: rejectedCount.load(ordering: .relaxed),
            bodyBytes: byteCount.load(ordering: .relaxed))
    }
}
