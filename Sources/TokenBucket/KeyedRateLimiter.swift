public import Synchronization

/// One limiter per key (tenant, app and environment as Alloy's `per_app` strategy keys them, client
/// address), each deciding as `GCRALimiter` does, with per-key limits and costs, in bounded memory.
///
/// A key's state is 16 bytes kept inline beside the key in its shard's open-addressing table (its
/// theoretical arrival time, when it was last used to about a second, and its limit), so that a
/// decision usually touches one cache line of the table. Keys are
/// spread over shards, each guarded by its own lock, so that concurrent decisions on different keys
/// rarely meet. Keys are made room for when the limiter holds `maxKeys` (in the shard of the new
/// key, unless it has none), or when one shard holds twice its share (a rare run of hashes): a key
/// unseen for `idleTimeout` whose bucket is full again is dropped first, else the shard's least
/// recently used key. `evictIdle()` drops the idle keys with full buckets. A key that still owes
/// time is not idle: dropped, it would come back with a full bucket, which only the room for new
/// keys may cost. The limiter holds at most `maxKeys` keys and one more per shard. `evictions`
/// counts every key dropped.
///
/// ```swift
/// let limiter = KeyedRateLimiter<String>(
///     limit: .alloyDefault, overrides: ["checkout:production": RateLimit(rate: 500, burst: 1000)])
/// guard limiter.allow("checkout:production") else { return .tooManyRequests }
/// ```
public final class KeyedRateLimiter<Key: Hashable & Sendable>: @unchecked Sendable {
    /// A key's GCRA state and when it was last used: 16 bytes, so that a slot of the table (hash,
    /// key and state) of an `Int` key is 32 bytes, and 100,000 keys stay within about 4 MB.
    @usableFromInline
    struct Entry {
        /// The theoretical arrival time (`Int64.min`: a full bucket).
        @usableFromInline var arrival: Int64
        /// When the key was last used, in units of 2^30 ns (about a second) of the clock.
        @usableFromInline var lastUsed: UInt32
        /// The key's limit: an index into `limits`.
        @usableFromInline let limit: UInt32

        @inlinable
        init(arrival: Int64, lastUsed: UInt32, limit: UInt32) {
            self.arrival = arrival
            self.lastUsed = lastUsed
            self.limit = limit
        }
    }

    /// A limit as decisions use it.
    @usableFromInline
    struct Limit: Sendable {
        /// The emission interval in nanoseconds (0: infinite rate; `Int64.max`: rate 0, with
        /// `arrival` counting the tokens taken).
        @usableFromInline let interval: Int64
        /// The burst.
        @usableFromInline let burst: Int
        /// The rate, for reservations.
        @usableFromInline let rate: Double

        init(_ limit: RateLimit) {
            interval = GCRALimiter.interval(of: limit.rate)
            burst = GCRALimiter.effectiveBurst(limit.burst, interval: interval)
            rate = interval == 0 ? .infinity : interval == .max ? 0 : 1e9 / Double(interval)
        }
    }

    /// `now` in the units of `Entry.lastUsed`.
    @inlinable
    static func coarse(_ now: Int64) -> UInt32 { UInt32(truncatingIfNeeded: now >> 30) }

    /// The keys of one shard.
    @usableFromInline
    struct Shard {
        /// Each key's state.
        @usableFromInline let table = KeyTable<Key, Entry>()

        @usableFromInline
        init() {}
    }

    /// Each shard with its lock, side by side in memory of the limiter's own, so that a decision
    /// reaches its shard without retaining an object (an array of lock objects cost 50 more
    /// instructions a decision). The only mutable state besides the atomics, and what makes the
    /// limiter `@unchecked Sendable`: each lock guards its shard.
    @usableFromInline let shards: UnsafeMutablePointer<Mutex<Shard>>
    /// How many shards there are.
    @usableFromInline let shardCount: Int
    /// The limit of keys without an override.
    public let limit: RateLimit
    /// Limits of particular keys.
    public let overrides: [Key: RateLimit]
    /// The limits keys use: the default first, then the overrides'.
    @usableFromInline let limits: [Limit]
    /// The index in `limits` of each overridden key's limit.
    @usableFromInline let overrideIndex: [Key: UInt32]
    /// The most keys.
    @usableFromInline let maxKeys: Int
    /// The most keys a shard holds: twice its share of `maxKeys`, so that an uneven spread of the
    /// keys over the shards does not make room before the limiter holds `maxKeys`.
    @usableFromInline let keysPerShard: Int
    /// The keys held in all shards.
    @usableFromInline let heldKeys = Atomic<Int>(0)
    /// How long a key may go unused before it may be dropped, in units of `Entry.lastUsed`
    /// (rounded up).
    @usableFromInline let idleTimeout: UInt32
    /// The clock decisions read; a reservation's wait from now is
    /// `reservation.delay(from: limiter.clock.nanoseconds())`.
    public let clock: any RateLimiterClock
    /// How many keys were dropped.
    @usableFromInline let evictionCount = Atomic<Int>(0)

    /// A keyed limiter: `limit` for every key but those in `overrides`; at most `maxKeys` keys (and
    /// one more per shard), keys idle for `idleTimeout` with full buckets dropped first (idleness is
    /// measured to about a second: 2^30 ns).
    public init(
        limit: RateLimit, overrides: [Key: RateLimit] = [:], maxKeys: Int = 100_000, idleTimeout: Duration = .seconds(600),
        shardCount: Int = 64, clock: any RateLimiterClock = SystemRateLimiterClock()
    ) {
        precondition(maxKeys > 0 && shardCount > 0, "maxKeys and shardCount must be positive")
        self.limit = limit
        self.overrides = overrides
        var limits = [Limit(limit)]
        var overrideIndex: [Key: UInt32] = [:]
        for (key, override) in overrides {
            overrideIndex[key] = UInt32(limits.count)
            limits.append(Limit(override))
        }
        self.limits = limits
        self.overrideIndex = overrideIndex
        self.shards = .allocate(capacity: shardCount)
        for index in 0..<shardCount { (shards + index).initialize(to: Mutex(Shard())) }
        self.shardCount = shardCount
        self.maxKeys = maxKeys
        self.keysPerShard = 2 * ((maxKeys + shardCount - 1) / shardCount) + 2
        self.idleTimeout = UInt32(clamping: (idleTimeout.nanoseconds + (1 << 30) - 1) >> 30)
        self.clock = clock
    }

    deinit {
        shards.deinitialize(count: shardCount)
        shards.deallocate()
    }

    /// How many keys were dropped, for being idle or for room.
    public var evictions: Int { evictionCount.load(ordering: .relaxed) }

    /// How many keys are held now.
    public var keyCount: Int { (0..<shardCount).reduce(0) { count, index in count + shards[index].withLock { $0.table.count } } }

    /// Whether an event of `cost` tokens may happen now for `key`, taking them if so.
    ///
    /// `@inlinable`, as `reserve` and the decision: a keyed decision generic over `Key` that is not
    /// specialized in the caller spends most of its time looking up generic metadata.
    @inlinable
    public func allow(_ key: Key, cost: Int = 1) -> Bool {
        reserve(key, cost: cost, maximumWait: 0).isOK
    }

    /// Reserves an event of `cost` tokens for `key` now: when it may happen (for `Retry-After`).
    /// The reservation cannot be cancelled (see Documentation/TokenBucket.md, "No cancel").
    @inlinable
    public func reserve(_ key: Key, cost: Int = 1, maximumWait: Int64 = .max) -> RateLimitReservation {
        let now = clock.nanoseconds()
        let hash = KeyTable<Key, Entry>.hash(key)
        // The shard from the hash's high half (the table's slot comes from its low bits).
        let shard = Int((UInt64(UInt(bitPattern: hash) >> 32) &* UInt64(shardCount)) >> 32)
        let (reservation, dropped) = shards[shard].withLock { shard -> (RateLimitReservation, Int) in
            let table = shard.table
            var (index, found) = table.find(key, hash: hash)
            var dropped = 0
            if !found {
                if table.count >= keysPerShard || (table.count > 0 && heldKeys.load(ordering: .relaxed) >= maxKeys) {
                    dropped = makeRoom(in: table, at: now)
                    index = table.find(key, hash: hash).index
                }
                let limit = overrideIndex.isEmpty ? 0 : overrideIndex[key] ?? 0
                index = table.insert(key, hash: hash, value: Entry(arrival: .min, lastUsed: 0, limit: limit), at: index)
                heldKeys.wrappingAdd(1 - dropped, ordering: .relaxed)
            }
            let entry = table.slots + index
            let limit = limits[Int(entry.pointee.value.limit)]
            return (Self.decide(&entry.pointee.value, limit: limit, cost: cost, at: now, maximumWait: maximumWait), dropped)
        }
        if dropped > 0 { evictionCount.add(dropped, ordering: .relaxed) }
        return reservation
    }

    /// The GCRA decision on one key's state, as `GCRALimiter` makes it.
    @inlinable
    static func decide(_ entry: inout Entry, limit: Limit, cost: Int, at now: Int64, maximumWait: Int64) -> RateLimitReservation {
        entry.lastUsed = coarse(now)
        let rate = limit.rate
        if limit.interval == 0 { return RateLimitReservation(isOK: true, tokens: cost, timeToAct: now, rate: rate) }
        if limit.interval == .max {
            // Rate 0: the burst once; past it, only who waits forever.
            let taken = entry.arrival == .min ? 0 : entry.arrival
            let (total, overflow) = taken.addingReportingOverflow(Int64(cost))
            let enough = !overflow && total <= Int64(limit.burst)
            guard cost <= limit.burst, enough || maximumWait == .max else {
                return RateLimitReservation(isOK: false, tokens: 0, timeToAct: 0, rate: rate)
            }
            // A negative cost fills the bucket up to its burst, no further.
            entry.arrival = overflow ? .max : max(0, total)
            return RateLimitReservation(isOK: true, tokens: cost, timeToAct: enough ? now : .max, rate: rate)
        }
        guard
            let next = GCRALimiter.nextArrival(
                after: entry.arrival, at: now, cost: cost, interval: limit.interval, burst: limit.burst, maximumWait: maximumWait)
        else { return RateLimitReservation(isOK: false, tokens: 0, timeToAct: 0, rate: rate) }
        entry.arrival = next.arrival
        return RateLimitReservation(
            isOK: true, tokens: cost, timeToAct: TokenBucketLimiter.adding(next.wait, to: now), rate: rate)
    }

    /// Drops the keys unused for `idleTimeout`; returns how many.
    @discardableResult
    public func evictIdle() -> Int {
        let now = clock.nanoseconds()
        var dropped = 0
        for index in 0..<shardCount {
            dropped += shards[index].withLock { shard in
                shard.table.removeAll { _, entry in isIdle(entry, at: now) }
            }
        }
        heldKeys.wrappingSubtract(dropped, ordering: .relaxed)
        evictionCount.add(dropped, ordering: .relaxed)
        return dropped
    }

    /// Whether `entry` went unused for `idleTimeout` by `now` and its bucket is full again (no
    /// token taken at rate 0), so that dropping it changes no decision.
    func isIdle(_ entry: Entry, at now: Int64) -> Bool {
        guard Self.coarse(now) &- entry.lastUsed >= idleTimeout else { return false }
        if limits[Int(entry.limit)].interval == .max { return entry.arrival == .min || entry.arrival == 0 }
        return entry.arrival <= now
    }

    /// Drops the idle keys of a shard that must make room, or else its least recently used key;
    /// returns how many.
    @usableFromInline
    func makeRoom(in table: KeyTable<Key, Entry>, at now: Int64) -> Int {
        let dropped = table.removeAll { _, entry in isIdle(entry, at: now) }
        if dropped > 0 { return dropped }
        // The least recently used: the longest since its last use (wrapping, as the units do).
        let current = Self.coarse(now)
        guard let oldest = table.minimum(by: { current &- $0.lastUsed > current &- $1.lastUsed }) else { return 0 }
        table.remove(at: oldest)
        return 1
    }
}
