import Synchronization

/// The tokens each key holds on this node: leases taken from Redis, denials Redis gave, and the
/// requests waiting for a round trip under way. Sharded, each shard behind its own lock.
final class LeaseTable: Sendable {
    /// One key's state.
    struct Lease {
        /// Tokens of the current lease not spent yet.
        var tokens = 0
        /// When the lease's tokens lapse, in nanoseconds of the limiter's clock.
        var expiresAt: Int64 = .min
        /// Until when Redis said the bucket is short.
        var deniedUntil: Int64 = .min
        /// Whether a round trip for this key is under way.
        var refilling = false
        /// The requests waiting for that round trip.
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// When the key was last used.
        var lastUsed: Int64
    }

    /// What a request does next.
    enum Step: Equatable {
        /// Spent tokens of the lease.
        case allowed
        /// Redis said the bucket is short until then.
        case denied(until: Int64)
        /// A round trip for the key is under way: wait for it, then step again.
        case wait
        /// Take a lease from Redis; `leftover` tokens of the old one, taken out of the table, count
        /// toward the request, and lapse at `leftoverExpiresAt`.
        case refill(leftover: Int, leftoverExpiresAt: Int64)
    }

    private final class Shard: Sendable {
        let leases = Mutex<[String: Lease]>([:])
    }

    private let shards: [Shard]
    private let keysPerShard: Int

    /// A table of at most about `maxKeys` keys.
    init(maxKeys: Int, shardCount: Int = 16) {
        shards = (0..<shardCount).map { _ in Shard() }
        keysPerShard = max(1, (maxKeys + shardCount - 1) / shardCount)
    }

    private func shard(_ key: String) -> Shard {
        shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
    }

    /// Decides from the key's state what a request of `cost` does at `now`.
    func step(_ key: String, cost: Int, at now: Int64) -> Step {
        shard(key).leases.withLock { leases in
            if leases.count >= keysPerShard, leases[key] == nil { makeRoom(in: &leases, at: now) }
            return Self.step(&leases[key, default: Lease(lastUsed: now)], cost: cost, at: now)
        }
    }

    private static func step(_ lease: inout Lease, cost: Int, at now: Int64) -> Step {
        lease.lastUsed = now
        let live = now < lease.expiresAt
        if live, lease.tokens >= cost {
            lease.tokens -= cost
            return .allowed
        }
        if now < lease.deniedUntil { return .denied(until: lease.deniedUntil) }
        if lease.refilling { return .wait }
        lease.refilling = true
        let leftover = live ? lease.tokens : 0
        lease.tokens = 0
        return .refill(leftover: leftover, leftoverExpiresAt: lease.expiresAt)
    }

    /// Waits until the round trip under way for `key` is over (at once if none is).
    func waitForRefill(_ key: String) async {
        let shard = shard(key)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = shard.leases.withLock { leases in
                guard leases[key]?.refilling == true else { return false }
                leases[key]!.waiters.append(continuation)
                return true
            }
            if !waiting { continuation.resume() }
        }
    }

    /// Ends the round trip for `key`: `tokens` left for others until `expiresAt`, or a denial until
    /// `deniedUntil`; wakes the requests that waited for it.
    func finishRefill(_ key: String, tokens: Int, expiresAt: Int64, deniedUntil: Int64) {
        let waiters = shard(key).leases.withLock { leases -> [CheckedContinuation<Void, Never>] in
            guard var lease = leases[key] else { return [] }
            lease.tokens = tokens
            lease.expiresAt = expiresAt
            lease.deniedUntil = deniedUntil
            lease.refilling = false
            let waiters = lease.waiters
            lease.waiters = []
            leases[key] = lease
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// How many keys are held.
    var count: Int { shards.reduce(0) { $0 + $1.leases.withLock { $0.count } } }

    /// Drops about an eighth of a full shard: keys with nothing live first (no lease, no denial,
    /// no round trip), then the least recently used of those with no round trip under way.
    private func makeRoom(in leases: inout [String: Lease], at now: Int64) {
        let target = max(1, keysPerShard / 8)
        let idle = leases.filter { !$0.value.refilling && $0.value.expiresAt <= now && $0.value.deniedUntil <= now }.keys
        for key in idle.prefix(target) { leases[key] = nil }
        let dropped = min(idle.count, target)
        guard dropped < target else { return }
        let oldest = leases.filter { !$0.value.refilling }.sorted { $0.value.lastUsed < $1.value.lastUsed }
        for entry in oldest.prefix(target - dropped) { leases[entry.key] = nil }
    }
}
