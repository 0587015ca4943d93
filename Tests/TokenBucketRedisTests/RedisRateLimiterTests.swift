import Foundation
import Logging
import Metrics
import MetricsTestKit
import RESPClient
import TestSupport
import Testing
import TokenBucket
import TokenBucketRedis

/// The metrics the limiters of these tests report (bootstrapped once for the test process).
private let metrics: TestMetrics = {
    let metrics = TestMetrics()
    MetricsSystem.bootstrap(metrics)
    return metrics
}()

/// Against a real `redis-server` on a loopback port of each test's own.
@Suite(.enabled(if: RedisServer.isAvailable, "needs Debian's redis-server (scripts/test installs it)"))
struct RedisRateLimiterTests {
    /// A client of `server`; the timeout is generous, as the tests run in parallel on two cores
    /// (a redis-server without a core for a second would otherwise make a decision fall back).
    private func client(_ server: RedisServer, timeout: Duration = .seconds(10)) -> RedisClient {
        RedisClient(configuration: RedisConfiguration(
            port: server.port, commandTimeout: timeout, initialReconnectDelay: .milliseconds(20),
            maximumReconnectDelay: .milliseconds(200)))
    }

    /// Decides, 50 ms apart, until `condition` holds of a decision (`eventually`); returns that decision.
    private func decide(
        _ limiter: RedisRateLimiter, key: String, until condition: (RedisRateDecision) -> Bool
    ) async throws -> RedisRateDecision? {
        var found: RedisRateDecision?
        _ = try await eventually {
            let decision = await limiter.allow(key)
            if condition(decision) { found = decision }
            return found != nil
        }
        return found
    }

    /// With leases, Redis sees one round trip per lease, not per request.
    @Test func leasesSaveRoundTrips() async throws {
        let server = try await RedisServer()
        let client = client(server)
        let limiter = RedisRateLimiter(
            client: client, configuration: RedisRateLimiterConfiguration(
                limit: RateLimit(rate: 10, burst: 10_000), leaseSize: 100))
        var allowed = 0
        for _ in 0..<5_000 where await limiter.allow("tenant").isAllowed { allowed += 1 }
        #expect(allowed == 5_000)
        // One SCRIPT LOAD, then an EVALSHA per 100 decisions.
        #expect(limiter.roundTrips == 1 + 50)
        let ttl = try await client.send(RESPCommand("PTTL", "rum:ratelimit:tenant")).int64 ?? -1
        // The key lives until the bucket is full again: at most 5,100 tokens at 10 a second, less
        // what came back while the loop ran. (CI runs took 8.8 and 16.8 s for this test; at 10,000
        // a second the key had lapsed by then.) Over 400 s: the loop took less than 110 s.
        #expect(ttl > 400_000 && ttl <= 510_001, "the key lives \(ttl) ms")
        await client.shutdown()
    }

    /// A bucket admits its burst, then denies with the wait until a lease is due, and the node
    /// keeps denying without asking Redis until then.
    @Test func admitsTheBurstThenDenies() async throws {
        let server = try await RedisServer()
        let client = client(server)
        let limiter = RedisRateLimiter(
            client: client, configuration: RedisRateLimiterConfiguration(limit: RateLimit(rate: 0.01, burst: 20), leaseSize: 5))
        var allowed = 0
        var denials: [RedisRateDecision] = []
        for _ in 0..<40 {
            let decision = await limiter.allow("tenant")
            if decision.isAllowed { allowed += 1 } else { denials.append(decision) }
        }
        #expect(allowed == 20)
        #expect(denials.first?.source == .redis)
        #expect(denials.dropFirst().allSatisfy { $0.source == .lease })
        // Until 5 tokens (a lease) are back at one every 100 s: at most 500 s. (A rate this slow keeps
        // the test exact on a loaded machine: no token comes back while it runs. At one every 5 s, a
        // CI run that stalled for seconds saw a 21st admitted.)
        let wait = try #require(denials.first?.retryAfter)
        #expect(wait > .seconds(400) && wait <= .seconds(500))
        #expect(limiter.roundTrips == 1 + 5)
        #expect(await limiter.allow("tenant", cost: 21) == RedisRateDecision(isAllowed: false, retryAfter: nil, source: .limit))
        await client.shutdown()
    }

    /// Two processes on one tenant admit no more than rate x time + burst + their leases.
    @Test func twoProcessesShareALimit() async throws {
        let server = try await RedisServer()
        let rumctl = TestEnvironment.productsDirectory.appendingPathComponent("rumctl")
        let (rate, burst, lease, seconds) = (200.0, 50, 10, 4.0)
        let start = ContinuousClock.now
        let reports = try await withThrowingTaskGroup(of: [String: Double].self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let output = try await TestEnvironment.run(rumctl, arguments: [
                        "ratelimit", "--redis", "redis://127.0.0.1:\(server.port)", "--key", "shared",
                        "--rate", "\(rate)", "--burst", "\(burst)", "--lease", "\(lease)", "--duration", "\(seconds)",
                        "--timeout", "10000",
                    ])
                    let object = try JSONSerialization.jsonObject(with: output) as? [String: Double]
                    return try #require(object)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - start
        let span = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let admitted = reports.reduce(0) { $0 + ($1["admitted"] ?? 0) }
        let roundTrips = reports.reduce(0) { $0 + ($1["round_trips"] ?? 0) }
        let decisions = reports.reduce(0) { $0 + ($1["admitted"] ?? 0) + ($1["denied"] ?? 0) }
        #expect(reports.allSatisfy { $0["fallback_decisions"] == 0 })
        #expect(admitted <= rate * span + Double(burst) + 2 * Double(lease), "admitted \(admitted) in \(span) s")
        // Both took part, and together they used most of the limit.
        #expect(reports.allSatisfy { ($0["admitted"] ?? 0) > 0 })
        #expect(admitted >= 0.8 * (rate * seconds + Double(burst)), "admitted \(admitted) in \(span) s")
        #expect(roundTrips < decisions / 4, "\(roundTrips) round trips for \(decisions) decisions")
    }

    /// After `SCRIPT FLUSH` the server answers NOSCRIPT; the limiter loads the script again.
    @Test func reloadsTheScriptAfterNOSCRIPT() async throws {
        let server = try await RedisServer()
        let client = client(server)
        _ = metrics
        let limiter = RedisRateLimiter(
            client: client, configuration: RedisRateLimiterConfiguration(limit: RateLimit(rate: 1_000_000, burst: 100), leaseSize: 1),
            label: "noscript-test")
        #expect(await limiter.allow("tenant") == RedisRateDecision(isAllowed: true, retryAfter: .zero, source: .redis))
        #expect(limiter.roundTrips == 2)
        #expect(try await client.send(RESPCommand("SCRIPT", "FLUSH")).string == "OK")
        #expect(await limiter.allow("tenant") == RedisRateDecision(isAllowed: true, retryAfter: .zero, source: .redis))
        // EVALSHA answered NOSCRIPT, SCRIPT LOAD, EVALSHA.
        #expect(limiter.roundTrips == 5)
        #expect(!limiter.isFallingBack)
        let counter = try metrics.expectCounter("rum_rate_limiter_redis_round_trips_total", [("limiter", "noscript-test")])
        #expect(counter.totalValue == 5)
        await client.shutdown()
    }

    /// Redis killed mid-run: the limiter falls back to its local share and reports it, then comes
    /// back to Redis by itself once the server is back.
    @Test func fallsBackWhenRedisDiesAndRecovers() async throws {
        let server = try await RedisServer()
        let client = client(server)
        _ = metrics
        let limiter = RedisRateLimiter(
            client: client,
            configuration: RedisRateLimiterConfiguration(
                limit: RateLimit(rate: 10, burst: 100), leaseSize: 1, localShare: 0.5,
                initialRecoveryDelay: .milliseconds(50), maximumRecoveryDelay: .milliseconds(200)),
            label: "kill-test")
        let gauge = try metrics.expectGauge("rum_rate_limiter_redis_fallback", [("limiter", "kill-test")])
        #expect(await limiter.allow("tenant").source == .redis)
        #expect(gauge.lastValue == 0)

        await server.kill()
        let fellBack = ContinuousClock.now
        let fallback = await limiter.allow("tenant")
        #expect(fallback.source == .fallback && fallback.isAllowed)
        #expect(limiter.isFallingBack)
        #expect(gauge.lastValue == 1)
        // The local share: half of the burst of 100, and 5 a second more for the time that passes
        // (measured, as a loaded machine may take seconds over the loop).
        var locallyAllowed = 1
        for _ in 0..<200 where await limiter.allow("tenant").isAllowed { locallyAllowed += 1 }
        let elapsed = ContinuousClock.now - fellBack
        let refilled = Int(5 * Double(elapsed.nanoseconds) / 1e9)
        #expect(locallyAllowed >= 50 && locallyAllowed <= 50 + refilled + 1, "\(locallyAllowed) allowed locally in \(elapsed)")

        try await server.start()
        let back = try await decide(limiter, key: "tenant") { $0.source == .redis || $0.source == .lease }
        #expect(back != nil)
        #expect(!limiter.isFallingBack)
        #expect(gauge.lastValue == 0)
        await client.shutdown()
    }

    /// Fail-closed: while Redis is away, every request is denied.
    @Test func failsClosedWhenConfigured() async throws {
        let server = try await RedisServer()
        let client = client(server)
        let limiter = RedisRateLimiter(
            client: client, configuration: RedisRateLimiterConfiguration(
                limit: RateLimit(rate: 1_000, burst: 100), leaseSize: 1, failureMode: .failClosed))
        #expect(await limiter.allow("tenant").isAllowed)
        await server.kill()
        let decision = await limiter.allow("tenant")
        #expect(!decision.isAllowed && decision.source == .fallback)
        #expect(decision.retryAfter == .milliseconds(1))
        await client.shutdown()
    }

    /// A frozen Redis (SIGSTOP: no replies, connections open) makes the round trip time out: the
    /// limiter decides locally once the timeout has passed, and uses Redis again once it answers.
    @Test(.timeLimit(.minutes(1))) func slowRedisTimesOutToTheFallback() async throws {
        let server = try await RedisServer()
        let client = client(server, timeout: .seconds(3))
        let logs = RecordedLogs()
        let limiter = RedisRateLimiter(
            client: client, configuration: RedisRateLimiterConfiguration(
                limit: RateLimit(rate: 1_000, burst: 100), leaseSize: 1,
                initialRecoveryDelay: .milliseconds(50), maximumRecoveryDelay: .milliseconds(200)),
            logger: Logger(label: "RedisRateLimiterTests") { _ in RecordingLogHandler(logs: logs) })
        #expect(await limiter.allow("tenant").source == .redis)
        server.pause()
        let start = ContinuousClock.now
        let decision = await limiter.allow("tenant")
        let waited = ContinuousClock.now - start
        #expect(decision.source == .fallback && decision.isAllowed)
        // The timeout's doing: the frozen server would never have answered, and the limiter says
        // why it fell back. How late after the timeout the decision comes is the machine's
        // scheduling (the tests run in parallel on two cores), so only the timeout's own bound is
        // checked.
        let fallbacks = logs.entries.filter { $0.message == "rate limiting falls back to this node" }
        #expect(fallbacks.map { $0.metadata["error"] } == ["no reply from Redis within 3.0 seconds"])
        #expect(waited >= .seconds(3), "decided after \(waited)")
        server.resume()
        let back = try await decide(limiter, key: "tenant") { $0.source == .redis || $0.source == .lease }
        #expect(back != nil)
        await client.shutdown()
    }

    /// Limits that need no bucket are decided without Redis.
    @Test func infiniteAndOverriddenLimits() async throws {
        let server = try await RedisServer()
        let client = client(server)
        let limiter = RedisRateLimiter(
            client: client, configuration: RedisRateLimiterConfiguration(
                limit: RateLimit(rate: 10, burst: 1), overrides: ["vip": RateLimit(rate: .infinity, burst: 0), "big": RateLimit(rate: 10, burst: 50)],
                leaseSize: 1))
        #expect(await limiter.allow("vip", cost: 1_000) == RedisRateDecision(isAllowed: true, retryAfter: .zero, source: .limit))
        #expect(await limiter.allow("big", cost: 50).isAllowed)
        #expect(await !limiter.allow("other", cost: 2).isAllowed)
        #expect(limiter.roundTrips == 2)
        await client.shutdown()
    }

    /// Rates so slow that the key's lifetime, the wait or the interval are huge keep their bucket
    /// in Redis: the lifetime went to `SET` as `1e+18`, which Redis refused as not an integer (each
    /// decision fell back), a wait past `Int64` came back as a negative integer (a wait of 1 µs),
    /// and an interval past `Double`'s range as `inf`. The wait is at most 285 years.
    @Test(arguments: [1e-10, 1e-13, 1e-15, 1e-300])
    func slowestRatesKeepTheirBucketInRedis(rate: Double) async throws {
        let server = try await RedisServer()
        let client = client(server)
        let limiter = RedisRateLimiter(
            client: client, configuration: RedisRateLimiterConfiguration(limit: RateLimit(rate: rate, burst: 1), leaseSize: 1))
        let first = await limiter.allow("tenant")
        #expect(first == RedisRateDecision(isAllowed: true, retryAfter: .zero, source: .redis), "\(first)")
        let ttl = try await client.send(RESPCommand("PTTL", "rum:ratelimit:tenant")).int64 ?? -1
        #expect(ttl > 86_400_000 * 365 * 100, "the key lives \(ttl) ms")
        let denied = await limiter.allow("tenant")
        #expect(!denied.isAllowed && denied.source == .redis, "\(denied)")
        let wait = try #require(denied.retryAfter)
        #expect(wait > .seconds(86_400 * 365 * 100) && wait <= .seconds(86_400 * 366 * 286), "\(wait)")
        await client.shutdown()
    }

    /// Tokens far shorter than a microsecond move the bucket by their exact time. At 10^7 tokens a
    /// second a token is a tenth of a microsecond, which a TAT held as one double of today's
    /// microseconds (precise to a quarter of one) rounded away: such a bucket never emptied. At
    /// 3·10^8 a second the interval, rounded up to a whole nanosecond, made a token cost 4 ns
    /// instead of 3.33. The bucket starts half empty, its TAT written in the earlier form.
    @Test(arguments: [(1e7, 2_000), (3e8, 3_000)])
    func shortTokensMoveTheBucketExactly(rate: Double, decisions: Int) async throws {
        let server = try await RedisServer()
        let client = client(server)
        // A burst that lasts 100 s, of which 50 s are taken.
        let limiter = RedisRateLimiter(
            client: client, configuration: RedisRateLimiterConfiguration(
                limit: RateLimit(rate: rate, burst: Int(rate * 100)), leaseSize: 1))
        let reply = try await client.send(RESPCommand("TIME"))
        let time = try #require(reply.elements?.compactMap { $0.string.flatMap { Int64($0) } })
        try #require(time.count == 2)
        let start = time[0] * 1_000_000 + time[1] + 50_000_000
        _ = try await client.send(RESPCommand("SET", "rum:ratelimit:tenant", "\(start).000"))
        var allowed = 0
        for _ in 0..<decisions where await limiter.allow("tenant").source == .redis { allowed += 1 }
        #expect(allowed == decisions)
        let stored = try #require(try await client.send(RESPCommand("GET", "rum:ratelimit:tenant")).string)
        let parts = stored.split(separator: ".", maxSplits: 1)
        let whole = try #require(parts.first.flatMap { Int64($0) }, "\(stored)")
        let decimals = parts.count == 2 ? String(parts[1]) : "0"
        let fraction = try #require(Double("0." + decimals), "\(stored)")
        // The TAT moved by the tokens' time, to a nanosecond.
        let moved = Double(whole - start) + fraction
        let expected = Double(decisions) / rate * 1e6
        #expect(abs(moved - expected) < 1e-3, "moved \(moved) µs, not \(expected) (\(stored))")
        await client.shutdown()
    }

    /// A lease that lives as long as a `Duration` may say lasts: its end wrapped past `Int64` to
    /// a time long past, so that every lease lapsed at once, each decision took a whole lease from
    /// Redis and spent one token of it, and the bucket admitted a tenth of its burst.
    @Test func aLeaseLifetimePastInt64Lasts() async throws {
        let server = try await RedisServer()
        let client = client(server)
        let limiter = RedisRateLimiter(
            client: client, configuration: RedisRateLimiterConfiguration(
                limit: RateLimit(rate: 0.001, burst: 1_000), leaseSize: 10, leaseLifetime: .seconds(Int64.max)),
            clock: ManualRateLimiterClock(nanoseconds: 1_000_000_000))
        var allowed = 0
        for _ in 0..<1_000 where await limiter.allow("tenant").isAllowed { allowed += 1 }
        #expect(allowed == 1_000)
        #expect(limiter.roundTrips == 1 + 100)
        await client.shutdown()
    }

    /// A burst of `Int.max` makes a limiter that decides, not a crash (its local share, the burst
    /// times 1, rounded to 2^63, past `Int`).
    @Test func theLargestBurstDoesNotCrash() async throws {
        let server = try await RedisServer()
        let client = client(server)
        let limiter = RedisRateLimiter(
            client: client, configuration: RedisRateLimiterConfiguration(limit: RateLimit(rate: 1_000, burst: .max)))
        #expect(await limiter.allow("tenant") == RedisRateDecision(isAllowed: true, retryAfter: .zero, source: .redis))
        await client.shutdown()
    }

    /// An error reply about one key (WRONGTYPE: the key holds a hash; a script error: the key
    /// holds no number) falls back for that decision only: the limiter does not fall back, and the
    /// other keys go on through Redis.
    @Test func anErrorAboutOneKeyLeavesTheOthersOnRedis() async throws {
        let server = try await RedisServer()
        let client = client(server)
        _ = try await client.send(RESPCommand("HSET", "rum:ratelimit:bad", "field", "1"))
        _ = try await client.send(RESPCommand("SET", "rum:ratelimit:corrupt", "not a time"))
        let limiter = RedisRateLimiter(
            // A token every 100 s: a machine slow enough to take a second between decisions does not refill the sixth.
            client: client, configuration: RedisRateLimiterConfiguration(limit: RateLimit(rate: 0.01, burst: 5), leaseSize: 1))
        #expect(await limiter.allow("bad").source == .fallback)
        #expect(await limiter.allow("corrupt").source == .fallback)
        #expect(!limiter.isFallingBack)
        for _ in 0..<5 { #expect(await limiter.allow("good").source == .redis) }
        #expect(await !limiter.allow("good").isAllowed)
        await client.shutdown()
    }

    /// Many keys failing at once count as one failure: the first check whether Redis is back
    /// comes after the initial delay, not after the delay doubled once a key (60 s here).
    @Test func manyKeysFailingAtOnceDoNotDelayRecovery() async throws {
        let server = try await RedisServer()
        let client = client(server, timeout: .seconds(3))
        let limiter = RedisRateLimiter(
            client: client,
            configuration: RedisRateLimiterConfiguration(
                limit: RateLimit(rate: 1_000, burst: 1_000), leaseSize: 1, initialRecoveryDelay: .milliseconds(100),
                maximumRecoveryDelay: .seconds(60)))
        #expect(await limiter.allow("key-0").source == .redis)
        // A frozen server: the 40 requests are all under way when their timeouts fail them.
        server.pause()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<40 { group.addTask { _ = await limiter.allow("key-\(index)") } }
        }
        #expect(limiter.isFallingBack)
        server.resume()
        let restarted = ContinuousClock.now
        let back = try await decide(limiter, key: "key-0") { $0.source == .redis || $0.source == .lease }
        #expect(back != nil)
        // The initial delay and a reconnection: well under the 60 s a doubling per key reaches,
        // with room for a machine that stalls for seconds (the tests run in parallel on two cores).
        #expect(ContinuousClock.now - restarted < .seconds(20), "\(ContinuousClock.now - restarted)")
        await client.shutdown()
    }

    /// Decides 1,000 times over ten keys, pausing now and then so that checks whether Redis is
    /// back come due: every decision falls back, Redis saw only the first (`SCRIPT LOAD` and
    /// `EVALSHA`), the gauge says so, and no check ended the fallback.
    private func expectEveryDecisionFallsBack(_ limiter: RedisRateLimiter, label: String) async throws {
        let gauge = try metrics.expectGauge("rum_rate_limiter_redis_fallback", [("limiter", label)])
        let fallbacks = try metrics.expectCounter("rum_rate_limiter_redis_fallbacks_total", [("limiter", label)])
        var fellBack = 0
        for round in 0..<20 {
            for index in 0..<50 where await limiter.allow("key-\((round * 50 + index) % 10)").source == .fallback {
                fellBack += 1
            }
            try await Task.sleep(for: .milliseconds(15))
        }
        #expect(fellBack == 1_000)
        #expect(limiter.isFallingBack)
        #expect(limiter.roundTrips <= 2, "\(limiter.roundTrips) round trips for 1,000 decisions")
        #expect(gauge.lastValue == 1)
        #expect(fallbacks.totalValue == 1)
    }

    /// A limiter of 1,000/s and leases of 10 through `client`, checking every 20 to 100 ms whether
    /// Redis is back, its metrics labelled `label`.
    private func quicklyRecovering(_ client: RedisClient, label: String) -> RedisRateLimiter {
        _ = metrics
        return RedisRateLimiter(
            client: client,
            configuration: RedisRateLimiterConfiguration(
                limit: RateLimit(rate: 1_000, burst: 1_000), leaseSize: 10,
                initialRecoveryDelay: .milliseconds(20), maximumRecoveryDelay: .milliseconds(100)),
            label: label)
    }

    /// A replica (a primary demoted by a failover) answers READONLY whatever the key: the limiter
    /// falls back for every key rather than paying a round trip per decision, its checks (which
    /// write as the script does, where `PING` would pass) keep it there, and it decides through
    /// Redis again once the replica is promoted.
    @Test func aReadOnlyReplicaFallsBackUntilPromoted() async throws {
        let primary = try await RedisServer()
        let replica = try await RedisServer(arguments: ["--replicaof", "127.0.0.1", String(primary.port)])
        let client = client(replica)
        let limiter = quicklyRecovering(client, label: "replica-test")
        try await expectEveryDecisionFallsBack(limiter, label: "replica-test")
        #expect(try await client.send(RESPCommand("REPLICAOF", "NO", "ONE")).string == "OK")
        let back = try await decide(limiter, key: "key-0") { $0.source == .redis || $0.source == .lease }
        #expect(back != nil)
        #expect(!limiter.isFallingBack)
        await client.shutdown()
    }

    /// A server that wants a password the client lacks answers NOAUTH to everything: the limiter
    /// falls back for every key, and decides through Redis again once no password is wanted.
    @Test func aPasswordWantedFallsBackUntilDropped() async throws {
        let server = try await RedisServer(arguments: ["--requirepass", "secret"])
        let client = client(server)
        let limiter = quicklyRecovering(client, label: "noauth-test")
        try await expectEveryDecisionFallsBack(limiter, label: "noauth-test")
        let admin = RedisClient(configuration: try RedisConfiguration(url: "redis://:secret@127.0.0.1:\(server.port)"))
        #expect(try await admin.send(RESPCommand("CONFIG", "SET", "requirepass", "")).string == "OK")
        await admin.shutdown()
        let back = try await decide(limiter, key: "key-0") { $0.source == .redis || $0.source == .lease }
        #expect(back != nil)
        #expect(!limiter.isFallingBack)
        await client.shutdown()
    }
}
