public import Logging
public import RESPClient
import Synchronization
public import TokenBucket

/// A rate limiter shared by a fleet: each key's bucket lives in Redis, where a Lua script makes
/// the GCRA decision atomically, and each node takes small leases of tokens so that Redis sees a
/// round trip per lease rather than per request.
///
/// ```swift
/// let client = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", commandTimeout: .milliseconds(50)))
/// let limiter = RedisRateLimiter(client: client, configuration: RedisRateLimiterConfiguration(
///     limit: RateLimit(rate: 500, burst: 1_000), leaseSize: 20, localShare: 1.0 / 4))
/// let decision = await limiter.allow(tenant, cost: items)
/// guard decision.isAllowed else { return .tooManyRequests(retryAfter: decision.retryAfter) }
/// ```
///
/// A request spends tokens of its key's lease if it holds enough; else one request per key takes
/// a new lease (up to `leaseSize` tokens, at least its cost) while the others wait for it. When
/// Redis says the bucket is short, the node denies the key's requests without asking again until
/// the tokens are due. Tokens are taken from Redis when leased, so the fleet never admits more than
/// the bucket allows plus what its nodes hold in leases (`Documentation/TokenBucket.md`).
///
/// When Redis fails, times out (the client's `commandTimeout`) or refuses the script whatever the key
/// (a read-only replica, a password wanted, ...), the limiter falls back: it decides on this node
/// alone with `localShare` of each limit (or denies, with `.failClosed`), reports the gauge
/// `rum_rate_limiter_redis_fallback`, and checks by running the script for no tokens, backing off,
/// until Redis takes it again. An error reply about one key (`WRONGTYPE`) falls back for that
/// decision alone.
/// The counter `rum_rate_limiter_redis_round_trips_total` counts the commands it sent to decide.
public final class RedisRateLimiter: Sendable {
    /// The configuration it was made with.
    public let configuration: RedisRateLimiterConfiguration
    private let client: RedisClient
    private let clock: any RateLimiterClock
    private let logger: Logger
    private let script: RedisGCRAScript
    private let leases: LeaseTable
    private let health: RedisHealth
    private let local: KeyedRateLimiter<String>
    /// The default limit and the overrides, each with its script parameters, found with one look-up.
    private let defaultLimit: KeyLimit
    private let overrideLimits: [String: KeyLimit]
    private let leaseLifetime: Int64

    /// A key's limit, and the script's parameters for it (`nil` when it needs no bucket in Redis:
    /// an infinite or zero rate, or no burst).
    private struct KeyLimit: Sendable {
        let limit: RateLimit
        let parameters: RateLimitParameters?

        init(_ limit: RateLimit) {
            self.limit = limit
            parameters =
                limit.rate > 0 && limit.rate < .greatestFiniteMagnitude && limit.burst > 0
                ? RateLimitParameters(rate: limit.rate, burst: limit.burst) : nil
        }
    }

    /// A limiter deciding through `client`'s Redis; `label` names it in metrics.
    public init(
        client: RedisClient,
        configuration: RedisRateLimiterConfiguration = RedisRateLimiterConfiguration(),
        clock: any RateLimiterClock = SystemRateLimiterClock(),
        label: String = "default",
        logger: Logger = Logger(label: "TokenBucketRedis", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        self.client = client
        self.clock = clock
        self.logger = logger
        script = RedisGCRAScript(label: label)
        leases = LeaseTable(maxKeys: configuration.maxKeys)
        health = RedisHealth(
            initialDelay: configuration.initialRecoveryDelay.nanoseconds,
            maximumDelay: configuration.maximumRecoveryDelay.nanoseconds, label: label)
        let share = configuration.localShare
        func scaled(_ limit: RateLimit) -> RateLimit {
            // A burst near `Int.max` scaled by 1 rounds to 2^63, past `Int`.
            let burst = (Double(limit.burst) * share).rounded(.down)
            return RateLimit(rate: limit.rate * share, burst: max(share > 0 ? 1 : 0, burst < 0x1p63 ? Int(burst) : .max))
        }
        local = KeyedRateLimiter(
            limit: scaled(configuration.limit), overrides: configuration.overrides.mapValues(scaled),
            maxKeys: configuration.maxKeys, clock: clock)
        defaultLimit = KeyLimit(configuration.limit)
        overrideLimits = configuration.overrides.mapValues(KeyLimit.init)
        leaseLifetime = configuration.leaseLifetime.nanoseconds
    }

    /// Whether decisions fall back to this node alone because Redis cannot be reached.
    public var isFallingBack: Bool { health.isFallingBack }

    /// The commands sent to Redis for decisions so far (`EVALSHA`, and `SCRIPT LOAD` when the
    /// server had lost the script); the checks while falling back are not counted.
    public var roundTrips: Int { script.commandsSent.load(ordering: .relaxed) }

    /// Whether a request of `cost` tokens for `key` may go ahead now, and if not, when to retry.
    public func allow(_ key: String, cost: Int = 1) async -> RedisRateDecision {
        let keyLimit = overrideLimits[key] ?? defaultLimit
        let limit = keyLimit.limit
        if limit.rate >= .greatestFiniteMagnitude { return RedisRateDecision(isAllowed: true, retryAfter: .zero, source: .limit) }
        guard cost <= limit.burst, let parameters = keyLimit.parameters else {
            return RedisRateDecision(isAllowed: cost <= 0, retryAfter: cost <= 0 ? .zero : nil, source: .limit)
        }
        guard cost > 0 else { return RedisRateDecision(isAllowed: true, retryAfter: .zero, source: .limit) }
        while true {
            let now = clock.nanoseconds()
            if health.isFallingBack { return fallBack(key, cost: cost, limit: limit, parameters: parameters, at: now) }
            switch leases.step(key, cost: cost, at: now) {
            case .allowed:
                return RedisRateDecision(isAllowed: true, retryAfter: .zero, source: .lease)
            case .denied(let until):
                return RedisRateDecision(isAllowed: false, retryAfter: .nanoseconds(until - now), source: .lease)
            case .wait:
                await leases.waitForRefill(key)
            case .refill(let leftover, let leftoverExpiresAt):
                return await refill(
                    key, cost: cost, leftover: (leftover, leftoverExpiresAt), parameters: parameters, limit: limit)
            }
        }
    }

    /// Takes a lease for `key` from Redis and decides the request that asked for it.
    private func refill(
        _ key: String, cost: Int, leftover: (tokens: Int, expiresAt: Int64), parameters: RateLimitParameters, limit: RateLimit
    ) async -> RedisRateDecision {
        let need = cost - leftover.tokens
        let want = max(configuration.leaseSize, need)
        let grant: RedisGCRAScript.Grant
        do {
            grant = try await script.take(
                bucket: configuration.keyPrefix + key, limit: parameters, want: want, need: need, client: client)
        } catch {
            let now = clock.nanoseconds()
            if case .server(let reply) = error, RedisErrorScope(reply) == .key {
                // Redis serves, but not this key: only this decision falls back; the other keys go
                // on through Redis.
                logger.warning("rate limiting of a key falls back to this node", metadata: ["key": "\(key)", "error": "\(error)"])
            } else {
                logger.warning("rate limiting falls back to this node", metadata: ["error": "\(error)"])
                health.failed(at: now)
            }
            leases.finishRefill(key, tokens: leftover.tokens, expiresAt: leftover.expiresAt, deniedUntil: .min)
            return fallBack(key, cost: cost, limit: limit, parameters: parameters, at: now)
        }
        let now = clock.nanoseconds()
        if grant.tokens > 0 {
            // The leftover tokens went to this request first: what remains is the new lease's.
            leases.finishRefill(
                key, tokens: grant.tokens - need, expiresAt: TokenBucketLimiter.adding(leaseLifetime, to: now), deniedUntil: .min)
            return RedisRateDecision(isAllowed: true, retryAfter: .zero, source: .redis)
        }
        let (product, overflow) = max(1, grant.retryAfterMicroseconds).multipliedReportingOverflow(by: 1_000)
        let retryAfter = overflow ? Int64.max : product
        // The leftover tokens stay, until they lapse as they would have, for requests they can pay for.
        leases.finishRefill(
            key, tokens: leftover.tokens, expiresAt: leftover.expiresAt, deniedUntil: TokenBucketLimiter.adding(retryAfter, to: now))
        return RedisRateDecision(isAllowed: false, retryAfter: .nanoseconds(retryAfter), source: .redis)
    }

    /// Decides on this node alone, and starts a check whether Redis is back when one is due.
    private func fallBack(
        _ key: String, cost: Int, limit: RateLimit, parameters: RateLimitParameters, at now: Int64
    ) -> RedisRateDecision {
        if health.startCheck(at: now) { startCheck(bucket: configuration.keyPrefix + key, parameters: parameters) }
        let localRate = RateLimit(rate: limit.rate * configuration.localShare, burst: limit.burst)
        let retryAfter: Duration? = localRate.rate > 0 ? .nanoseconds(localRate.nanoseconds(toAccumulate: Double(cost))) : nil
        switch configuration.failureMode {
        case .failClosed:
            return RedisRateDecision(isAllowed: false, retryAfter: retryAfter, source: .fallback)
        case .failOpen:
            let allowed = local.allow(key, cost: cost)
            return RedisRateDecision(isAllowed: allowed, retryAfter: allowed ? .zero : retryAfter, source: .fallback)
        }
    }

    /// Checks in the background whether Redis takes the script again, on `bucket` for no tokens:
    /// Redis is back when the script runs, or fails only for that key.
    private func startCheck(bucket: String, parameters: RateLimitParameters) {
        Task { [client, health, clock, logger, script] in
            let isBack: Bool
            do throws(RedisError) {
                try await script.check(bucket: bucket, limit: parameters, client: client)
                isBack = true
            } catch .server(let reply) {
                isBack = RedisErrorScope(reply) == .key
            } catch {
                isBack = false
            }
            if isBack {
                health.recovered()
                logger.notice("rate limiting decides through Redis again")
            } else {
                health.checkFailed(at: clock.nanoseconds())
            }
        }
    }
}
