import Synchronization
public import TokenBucket

/// The rate-limit buckets of a collector, kept from one configuration to the next: an intake
/// made with the limiters of the one before it takes over their buckets, with the tokens they
/// hold, so that reloading the configuration does not refill every bucket.
///
/// A changed rate or burst is applied to the bucket in place (`setRate`, `setBurst`), keeping its
/// tokens. The collector's global bucket is kept across any change; a tenant's is kept while a
/// tenant of that name has a limit. The per-application buckets are kept while their limit is the
/// same; a new per-application limit starts new buckets, since a `KeyedRateLimiter`'s limit is
/// fixed.
///
/// ```swift
/// let limiters = CollectorRateLimiters()
/// var intake = try CollectorIntake(configuration: first, limiters: limiters)
/// intake = try CollectorIntake(configuration: reloaded, limiters: limiters)  // same buckets
/// ```
public final class CollectorRateLimiters: Sendable {
    /// The buckets held, each with the limit it was last given.
    private struct Held {
        /// The collector's global bucket.
        var global: (limit: RateLimit, limiter: GCRALimiter)?
        /// The per-application buckets and the most keys they track.
        var perApp: (limit: RateLimit, maxKeys: Int, limiter: KeyedRateLimiter<String>)?
        /// Each tenant's bucket, by tenant name.
        var tenants: [String: (limit: RateLimit, limiter: TokenBucketLimiter)] = [:]
    }

    private let held = Mutex(Held())
    /// The clock every bucket reads.
    public let clock: any RateLimiterClock

    /// No buckets yet; each is made full when first asked for.
    public init(clock: any RateLimiterClock = SystemRateLimiterClock()) {
        self.clock = clock
    }

    /// The collector's global bucket, with `limit`.
    func global(_ limit: RateLimit) -> GCRALimiter {
        held.withLock { held in
            guard let (old, limiter) = held.global else {
                let limiter = GCRALimiter(limit, clock: clock)
                held.global = (limit, limiter)
                return limiter
            }
            if limit.rate != old.rate { limiter.setRate(limit.rate) }
            if limit.burst != old.burst { limiter.setBurst(limit.burst) }
            held.global = (limit, limiter)
            return limiter
        }
    }

    /// The per-application buckets, with `limit` and at most about `maxKeys` keys.
    func perApp(_ limit: RateLimit, maxKeys: Int) -> KeyedRateLimiter<String> {
        held.withLock { held in
            if let kept = held.perApp, kept.limit == limit, kept.maxKeys == maxKeys { return kept.limiter }
            let limiter = KeyedRateLimiter<String>(limit: limit, maxKeys: maxKeys, clock: clock)
            held.perApp = (limit, maxKeys, limiter)
            return limiter
        }
    }

    /// The buckets of `tenants` (name and limit, each name once): each tenant's own, with its
    /// new limit; the buckets of tenants not named are let go.
    func tenants(_ tenants: [(name: String, limit: RateLimit)]) -> [String: TokenBucketLimiter] {
        held.withLock { held in
            var kept: [String: (limit: RateLimit, limiter: TokenBucketLimiter)] = [:]
            for (name, limit) in tenants {
                if let (old, limiter) = held.tenants[name] {
                    if limit.rate != old.rate { limiter.setRate(limit.rate) }
                    if limit.burst != old.burst { limiter.setBurst(limit.burst) }
                    kept[name] = (limit, limiter)
                } else {
                    kept[name] = (limit, TokenBucketLimiter(limit, clock: clock))
                }
            }
            held.tenants = kept
            return kept.mapValues(\.limiter)
        }
    }
}
