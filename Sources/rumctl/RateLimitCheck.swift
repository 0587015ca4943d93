import ArgumentParser
import Foundation
import RESPClient
import TokenBucket
import TokenBucketRedis

/// `rumctl ratelimit`: drives a fleet-wide limit in Redis from this process and reports what it
/// admitted, to check a limit, or with several processes, a fleet's sharing of it.
struct RateLimitCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ratelimit",
        abstract: "Send requests through a Redis-backed rate limit for a while and report the decisions as JSON.",
        discussion: """
            Each of --concurrency tasks asks the limiter for --key in a loop for --duration seconds. The \
            report gives the requests admitted and denied, the Redis round trips, the decisions made by \
            the local fallback, and the seconds elapsed. Run it from several processes at once to see \
            them share one limit.
            Example: rumctl ratelimit --redis redis://127.0.0.1:6379 --key tenant-a --rate 100 --burst 50 --duration 3
            """
    )

    @Option(help: "The Redis server, as redis://[[user]:password@]host[:port][/database].")
    var redis = "redis://127.0.0.1:6379"

    @Option(help: "The key (tenant) to limit.")
    var key = "rumctl"

    @Option(help: "The limit's rate, in requests a second.")
    var rate: Double = 50

    @Option(help: "The limit's burst.")
    var burst = 100

    @Option(help: "The most tokens taken from Redis in one round trip.")
    var lease = 10

    @Option(help: "How long to send requests, in seconds (at most a day).")
    var duration: Double = 3

    @Option(help: "How many tasks send requests at once (at most 10000).")
    var concurrency = 8

    @Option(help: "Redis's command timeout, in milliseconds, after which the limiter falls back.")
    var timeout = 100

    /// The longest `--duration`, in seconds: a day.
    static let longestDuration: Double = 86_400
    /// The most `--concurrency` tasks: each is a task and a connection's worth of waiting commands.
    static let mostTasks = 10_000

    func validate() throws {
        guard rate > 0, burst > 0, lease > 0, duration > 0, concurrency > 0, timeout > 0 else {
            throw ValidationError("--rate, --burst, --lease, --duration, --concurrency and --timeout must be positive")
        }
        guard duration <= Self.longestDuration else {
            throw ValidationError("--duration must be a number of seconds up to \(Int(Self.longestDuration)) (a day)")
        }
        guard concurrency <= Self.mostTasks else { throw ValidationError("--concurrency must be at most \(Self.mostTasks)") }
    }

    func run() async throws {
        var redisConfiguration = try RedisConfiguration(url: redis)
        redisConfiguration.commandTimeout = .milliseconds(timeout)
        let client = RedisClient(configuration: redisConfiguration)
        let limiter = RedisRateLimiter(
            client: client,
            configuration: RedisRateLimiterConfiguration(limit: RateLimit(rate: rate, burst: burst), leaseSize: lease))
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .nanoseconds(Int64(duration * 1e9))
        let counts = await withTaskGroup(of: (admitted: Int, denied: Int, fallback: Int).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var counts = (admitted: 0, denied: 0, fallback: 0)
                    while clock.now < deadline {
                        let decision = await limiter.allow(key)
                        if decision.isAllowed { counts.admitted += 1 } else { counts.denied += 1 }
                        if decision.source == .fallback { counts.fallback += 1 }
                        if !decision.isAllowed, let wait = decision.retryAfter {
                            // Wait as a client told Retry-After would, but not past the end.
                            try? await clock.sleep(until: min(clock.now + wait, deadline))
                        }
                    }
                    return counts
                }
            }
            return await group.reduce(into: (admitted: 0, denied: 0, fallback: 0)) {
                $0.admitted += $1.admitted
                $0.denied += $1.denied
                $0.fallback += $1.fallback
            }
        }
        let elapsed = clock.now - start
        await client.shutdown()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "{\"admitted\":\(counts.admitted),\"denied\":\(counts.denied),\"round_trips\":\(limiter.roundTrips),"
                + "\"fallback_decisions\":\(counts.fallback),\"seconds\":\(seconds)}")
    }
}
