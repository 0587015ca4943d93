public import Synchronization

/// One limiter per key (tenant, app and environment as Alloy's `per_app` strategy keys them, client
/// address), each deciding as `GCRALimiter` does, with per-key limits and costs, in bounded memory.
///
/// A key's state is 32 bytes kept inline in its shard's table (its theoretical arrival time, when it
/// was last used, its interval and burst), so that a decision touches one table entry. Keys are
/// spread over shards, each guarded by its own lock, so that concurrent decisions on different keys
/// rarely meet. A key unseen for `idleTimeout` is dropped when its shard needs room or on
/// `evictIdle()`; when a shard is full of recent keys, its least recently used key goes. A dropped
/// key comes back with a full bucket. `evictions` counts both.
///
/// ```swift
/// let limiter = KeyedRateLimiter<String>(
///     limit: .alloyDefault, overrides: ["checkout:production": RateLimit(rate: 500, burst: 1000)])
/// guard limiter.allow("checkout:production") else { return .tooManyRequests }
/// ```
public final class KeyedRateLimiter<Key: Hashable & Sendable>: Sendable {
    /// A key's GCRA state and when it was last used.
    @usableFromInline
    struct Entry {
        /// The theoretical arrival time (`Int64.min`: a full bucket).
        @usableFromInline var arrival: Int64
        /// When the key was last used.
        @usableFromInline var lastUsed: Int64
        /// The emission interval in nanoseconds (0: infinite rate; `Int64.max`: rate 0, with
        /// `arrival` counting the tokens taken).
        @usableFromInline let interval: Int64
        /// The burst.
        @usableFromInline let burst: Int

        @inlinable
        init(arrival: Int64, lastUsed: Int64, interval: Int64, burst: Int) {
            self.arrival = arrival
            self.lastUsed = lastUsed
            self.interval = interval
            self.burst = burst
        }
    }

    /// The keys of one shard.
    @usableFromInline
    struct Shard {
        /// Each key's state.
        @usableFromInline var entries: [Key: Entry] = [:]

        @usableFromInline
        init() {}
    }

    /// A shard and its lock (a class, since a `Mutex` cannot be copied into an array).
    @usableFromInline
    final class LockedShard: Sendable {
        /// The shard.
        @usableFromInline let state = Mutex(Shard())

        @usableFromInline
        init() {}
    }

    @usableFromInline let shards: [LockedShard]
    /// The limit of keys without an override.
    public let limit: RateLimit
    /// Limits of particular keys.
    public let overrides: [Key: RateLimit]
    /// The most keys a shard holds.
    @usableFromInline let keysPerShard: Int
    /// How long a key may go unused before it may be dropped, in nanoseconds.
    @usableFromInline let idleTimeout: Int64
    /// The clock decisions read.
    @usableFromInline let clock: any RateLimiterClock
    /// How many keys were dropped.
    @usableFromInline let evictionCount = Atomic<Int>(0)

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
        self.idleTimeout = idleTimeout.nanoseconds
        self.clock = clock
    }

    /// How many keys were dropped, for being idle or for room.
    public var evictions: Int { evictionCount.load(ordering: .relaxed) }

    /// How many keys are held now.
    public var keyCount: Int { shards.reduce(0) { count, shard in count + shard.state.withLock { $0.entries.count } } }

    /// Whether an event of `cost` tokens may happen now for `key`, taking them if so.
    ///
    /// `@inlinable`, as `reserve` and the decision: a keyed decision generic over `Key` that is not
    /// specialized in the caller spends most of its time looking up generic metadata.
    @inlinable
    public func allow(_ key: Key, cost: Int = 1) -> Bool {
        reserve(key, cost: cost, maximumWait: 0).isOK
    }

    /// Reserves an event of `cost` tokens for `key` now: when it may happen (for `Retry-After`).
    @inlinable
    public func reserve(_ key: Key, cost: Int = 1, maximumWait: Int64 = .max) -> RateLimitReservation {
        let now = clock.nanoseconds()
        let shard = shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
        let (reservation, dropped) = shard.state.withLock { shard -> (RateLimitReservation, Int) in
            var dropped = 0
            if shard.entries[key] == nil {
                if shard.entries.count >= keysPerShard { dropped = makeRoom(in: &shard, at: now) }
                let limit = overrides[key] ?? limit
                shard.entries[key] = Entry(
                    arrival: .min, lastUsed: now, interval: GCRALimiter.interval(of: limit.rate), burst: limit.burst)
            }
            return (Self.decide(&shard.entries[key]!, cost: cost, at: now, maximumWait: maximumWait), dropped)
        }
        if dropped > 0 { evictionCount.add(dropped, ordering: .relaxed) }
        return reservation
    }

    /// The GCRA decision on one key's state, as `GCRALimiter` makes it.
    @inlinable
    static func decide(_ entry: inout Entry, cost: Int, at now: Int64, maximumWait: Int64) -> RateLimitReservation {
        entry.lastUsed = now
        let rate = entry.interval == 0 ? Double.infinity : entry.interval == .max ? 0 : 1e9 / Double(entry.interval)
        if entry.interval == 0 { return RateLimitReservation(isOK: true, tokens: cost, timeToAct: now, rate: rate) }
        if entry.interval == .max {
            // Rate 0: the burst once; past it, only who waits forever.
            let taken = entry.arrival == .min ? 0 : entry.arrival
            let enough = taken + Int64(cost) <= Int64(entry.burst)
            guard cost <= entry.burst, enough || maximumWait == .max else {
                return RateLimitReservation(isOK: false, tokens: 0, timeToAct: 0, rate: rate)
            }
            entry.arrival = taken + Int64(cost)
            return RateLimitReservation(isOK: true, tokens: cost, timeToAct: enough ? now : .max, rate: rate)
        }
        guard
            let next = GCRALimiter.nextArrival(
                after: entry.arrival, at: now, cost: cost, interval: entry.interval, burst: entry.burst, maximumWait: maximumWait)
        else { return RateLimitReservation(isOK: false, tokens: 0, timeToAct: 0, rate: rate) }
        entry.arrival = next.arrival
        return RateLimitReservation(isOK: true, tokens: cost, timeToAct: now + max(0, next.wait), rate: rate)
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

    /// Drops the idle keys of a full shard, or else its least recently used key; returns how many.
    @usableFromInline
    func makeRoom(in shard: inout Shard, at now: Int64) -> Int {
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
