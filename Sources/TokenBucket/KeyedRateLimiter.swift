import Synchronization

/// One limiter per key (tenant, app and environment as Alloy's `per_app` strategy keys them, client
/// address), each a `GCRALimiter`, with per-key limits and costs, in bounded memory.
///
/// Keys are spread over shards, each guarded by its own lock, so that concurrent decisions on
/// different keys rarely meet: the lock covers the lookup only, and the decision itself is the key's
/// lock-free compare-and-swap. A key unseen for `idleTimeout` is dropped when its shard needs room
/// or on `evictIdle()`; when a shard is full of recent keys, its least recently used key goes.
/// A dropped key comes back with a full bucket. `evictions` counts both.
///
/// ```swift
/// let limiter = KeyedRateLimiter<String>(
///     limit: .alloyDefault, overrides: ["checkout:production": RateLimit(rate: 500, burst: 1000)])
/// guard limiter.allow("checkout:production") else { return .tooManyRequests }
/// ```
public final class KeyedRateLimiter<Key: Hashable & Sendable>: Sendable {
    /// A key's limiter and when it was last used.
    struct Entry {
        let limiter: GCRALimiter
        var lastUsed: Int64
    }

    /// The keys of one shard.
    struct Shard {
        var entries: [Key: Entry] = [:]
    }

    /// A shard and its lock (a class, since a `Mutex` cannot be copied into an array).
    final class LockedShard: Sendable {
        let state = Mutex(Shard())
    }

    private let shards: [LockedShard]
    /// The limit of keys without an override.
    public let limit: RateLimit
    /// Limits of particular keys.
    public let overrides: [Key: RateLimit]
    /// The most keys a shard holds.
    private let keysPerShard: Int
    /// How long a key may go unused before it may be dropped, in nanoseconds.
    private let idleTimeout: Int64
    private let clock: any RateLimiterClock
    private let evictionCount = Atomic<Int>(0)

    /// A keyed limiter: `limit` for every key but those in `overrides`; at most about `maxKeys`
    /// keys (rounded up to a multiple of the shard count), keys idle for `idleTimeout` dropped
    /// first.
    public init(
        limit: RateLimit, overrides: [Key: RateLimit] = [:], maxKeys: Int = 100_000, idleTimeout: Duration = .seconds(600),
        shardCount: Int = 64, clock: any RateLimiterClock = SystemRateLimiterClock()
    ) {
        precondition(maxKeys > 0 && shardCount > 0, "maxKeys and shardCount must be positive")
        self.limit = limit
        self.overrides = overrides
        self.shards = (0..<shardCount).map { _ in LockedShard() }
        self.keysPerShard = (maxKeys + shardCount - 1) / shardCount
        self.idleTimeout = idleTimeout.components.seconds * 1_000_000_000 + idleTimeout.components.attoseconds / 1_000_000_000
        self.clock = clock
    }

    /// How many keys were dropped, for being idle or for room.
    public var evictions: Int { evictionCount.load(ordering: .relaxed) }

    /// How many keys are held now.
    public var keyCount: Int { shards.reduce(0) { count, shard in count + shard.state.withLock { $0.entries.count } } }

    /// Whether an event of `cost` tokens may happen now for `key`, taking them if so.
    public func allow(_ key: Key, cost: Int = 1) -> Bool {
        let now = clock.nanoseconds()
        return limiter(for: key, at: now).allow(cost, at: now)
    }

    /// Reserves an event of `cost` tokens for `key` now: when it may happen (for `Retry-After`).
    public func reserve(_ key: Key, cost: Int = 1, maximumWait: Int64 = .max) -> RateLimitReservation {
        let now = clock.nanoseconds()
        return limiter(for: key, at: now).reserve(cost, at: now, maximumWait: maximumWait)
    }

    /// Drops the keys unused for `idleTimeout`; returns how many.
    @discardableResult
    public func evictIdle() -> Int {
        let now = clock.nanoseconds()
        var dropped = 0
        for shard in shards {
            dropped += shard.state.withLock { shard in
                let before = shard.entries.count
                shard.entries = shard.entries.filter { now - $0.value.lastUsed < idleTimeout }
                return before - shard.entries.count
            }
        }
        evictionCount.add(dropped, ordering: .relaxed)
        return dropped
    }

    /// The limiter of `key`, made if needed, marked used at `now`.
    private func limiter(for key: Key, at now: Int64) -> GCRALimiter {
        let shard = shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
        let (limiter, dropped) = shard.state.withLock { shard -> (GCRALimiter, Int) in
            if let entry = shard.entries[key] {
                shard.entries[key]!.lastUsed = now
                return (entry.limiter, 0)
            }
            let dropped = shard.entries.count >= keysPerShard ? makeRoom(in: &shard, at: now) : 0
            let limiter = GCRALimiter(overrides[key] ?? limit, clock: clock)
            shard.entries[key] = Entry(limiter: limiter, lastUsed: now)
            return (limiter, dropped)
        }
        if dropped > 0 { evictionCount.add(dropped, ordering: .relaxed) }
        return limiter
    }

    /// Drops the idle keys of a full shard, or else its least recently used key; returns how many.
    private func makeRoom(in shard: inout Shard, at now: Int64) -> Int {
        let before = shard.entries.count
        shard.entries = shard.entries.filter { now - $0.value.lastUsed < idleTimeout }
        if shard.entries.count < before { return before - shard.entries.count }
        if let oldest = shard.entries.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            shard.entries[oldest.key] = nil
            return 1
        }
        return 0
    }
}
