import CoreMetrics
import RESPClient
import Synchronization

/// The GCRA decision that Redis makes atomically for the whole fleet, as a Lua script: it grants a
/// lease of up to `want` tokens, at least `need`, from a tenant's bucket, or says how long until a
/// whole lease (`want`, at most the burst) is there, so that a node on a saturated bucket asks
/// once a lease rather than once a token.
///
/// The key holds the bucket's theoretical arrival time (TAT) in microseconds of the Redis server's
/// clock (`TIME`), so that the nodes' own clocks never meet: whole microseconds, then the fraction
/// (`1764391328123456.000000012345678`), kept apart because a Lua number (a double) of today's
/// microseconds is precise to a quarter of one only. The key expires when the bucket is full
/// again. The script is loaded once (`SCRIPT LOAD`), called by its SHA-1 (`EVALSHA`), and loaded
/// again when the server answers `NOSCRIPT` (after a restart or `SCRIPT FLUSH`).
final class RedisGCRAScript: Sendable {
    /// The script. KEYS[1]: the bucket. ARGV: the emission interval in microseconds (a decimal,
    /// maybe fractional), the burst, the tokens wanted, the tokens needed. Returns the tokens
    /// granted and, when none, the microseconds until a lease is there.
    ///
    /// The tokens in the bucket are `burst − ceil((TAT − now) / interval)`: the GCRA's
    /// `floor((now + burst·interval − TAT) / interval)` without the sum `now + burst·interval`,
    /// which a long interval can round below its exact value, leaving a full bucket of burst 1
    /// without its token. `TAT − now` is the difference of the whole microseconds (exact) plus the
    /// fraction, and a lease adds its tokens' time to the fraction, carrying whole microseconds
    /// over: a lease of a tenth of a microsecond moves the TAT by that much, where a single double
    /// would round it away. A value of the earlier form, one decimal with three fractional digits,
    /// reads the same way.
    ///
    /// The key's lifetime and the wait are at most `longest` (2^53 − 1, the largest integer a Lua
    /// number holds exactly: 285 years in microseconds), so that Redis converts the wait to an
    /// integer reply without overflow; the lifetime goes to `SET` as a decimal integer, as Redis
    /// may write a large Lua number in exponent notation (`1e+17`) and refuse it as not an integer.
    static let source = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local interval = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local want = tonumber(ARGV[3])
        local need = tonumber(ARGV[4])
        local longest = 9007199254740991
        local whole, fraction = now, 0
        local stored = redis.call('GET', KEYS[1])
        if stored then
          local digits, decimals = string.match(stored, '^(%d+)(%.?%d*)$')
          whole, fraction = tonumber(digits), tonumber('0' .. decimals)
        end
        if whole < now then whole, fraction = now, 0 end
        local ahead = (whole - now) + fraction
        local available = burst - math.ceil(ahead / interval)
        if available < need then
          local target = math.max(need, math.min(want, burst))
          return {0, math.min(math.ceil(ahead - (burst - target) * interval), longest)}
        end
        local granted = math.min(available, want)
        fraction = fraction + granted * interval
        local carried = math.floor(fraction)
        whole, fraction = whole + carried, fraction - carried
        local decimals = string.format('%.15f', fraction)
        if string.sub(decimals, 1, 1) == '1' then whole, decimals = whole + 1, '0' end
        local lifetime = math.min(math.ceil((whole - now + fraction) / 1000) + 1, longest)
        local value = string.format('%.0f', whole) .. string.sub(decimals, 2)
        redis.call('SET', KEYS[1], value, 'PX', string.format('%d', lifetime))
        return {granted, 0}
        """

    /// What the script answered.
    struct Grant: Sendable, Hashable {
        /// The tokens granted: 0, or between the tokens needed and wanted.
        let tokens: Int
        /// When none were granted, the microseconds until a whole lease is there.
        let retryAfterMicroseconds: Int64
    }

    /// The script's SHA-1, once loaded.
    private let sha = Mutex<String?>(nil)
    /// The commands sent to Redis: `EVALSHA`s, and `SCRIPT LOAD`s when the script was missing.
    let commandsSent = Atomic<Int>(0)
    /// The same count as the counter `rum_rate_limiter_redis_round_trips_total`.
    private let roundTrips: Counter

    /// A script not loaded yet, for the limiter named `label` in metrics.
    init(label: String) {
        roundTrips = Counter(label: "rum_rate_limiter_redis_round_trips_total", dimensions: [("limiter", label)])
    }

    /// Counts a command sent.
    private func sent() {
        commandsSent.add(1, ordering: .relaxed)
        roundTrips.increment()
    }

    /// Runs the script on `bucket`: up to `want` tokens, at least `need`, for `limit`.
    func take(
        bucket: String, limit: RateLimitParameters, want: Int, need: Int, client: RedisClient
    ) async throws(RedisError) -> Grant {
        try await run(bucket: bucket, limit: limit, want: want, need: need, client: client, counted: true)
    }

    /// Runs the script on `bucket` for no tokens, to check whether Redis takes the decisions'
    /// script again: it writes the key back as a decision would, so that a read-only replica fails
    /// the check where `PING` would pass it. Not counted among the round trips.
    func check(bucket: String, limit: RateLimitParameters, client: RedisClient) async throws(RedisError) {
        _ = try await run(bucket: bucket, limit: limit, want: 0, need: 0, client: client, counted: false)
    }

    /// Runs the script, loading it first when needed; `counted` counts the commands sent.
    private func run(
        bucket: String, limit: RateLimitParameters, want: Int, need: Int, client: RedisClient, counted: Bool
    ) async throws(RedisError) -> Grant {
        let arguments = [limit.intervalMicroseconds, String(limit.burst), String(want), String(need)]
        var loaded = sha.withLock { $0 }
        for attempt in 0..<2 {
            let digest: String
            if let loaded {
                digest = loaded
            } else {
                if counted { sent() }
                guard let reply = try await client.send(RESPCommand("SCRIPT", "LOAD", Self.source)).string else {
                    throw .unexpectedReply("SCRIPT LOAD answered no digest")
                }
                sha.withLock { $0 = reply }
                digest = reply
            }
            do throws(RedisError) {
                if counted { sent() }
                let reply = try await client.send(RESPCommand("EVALSHA", [digest, "1", bucket] + arguments))
                guard let elements = reply.elements, elements.count == 2,
                    let tokens = elements[0].int64, let retryAfter = elements[1].int64
                else { throw .unexpectedReply("the GCRA script answered \(reply)") }
                return Grant(tokens: Int(tokens), retryAfterMicroseconds: retryAfter)
            } catch .server(let error) where error.kind == "NOSCRIPT" && attempt == 0 {
                sha.withLock { $0 = nil }
                loaded = nil
            }
        }
        throw .unexpectedReply("NOSCRIPT right after SCRIPT LOAD")
    }
}

/// A limit as the script takes it.
struct RateLimitParameters: Sendable, Hashable {
    /// The longest emission interval, in microseconds: the script's `longest`, 285 years a token.
    /// A slower rate would lead the script to infinite or unusable times; at this one no token
    /// comes back in practice either.
    static let longestIntervalMicroseconds: Double = 9_007_199_254_740_991

    /// The emission interval in microseconds, as the shortest decimal that reads back as the same
    /// `Double` (a tenth of a nanosecond at 10^10 tokens a second is `1e-04`).
    let intervalMicroseconds: String
    /// The burst.
    let burst: Int

    /// The parameters of a finite, positive `rate` and `burst`.
    init(rate: Double, burst: Int) {
        intervalMicroseconds = String(min(1e6 / rate, Self.longestIntervalMicroseconds))
        self.burst = burst
    }
}
