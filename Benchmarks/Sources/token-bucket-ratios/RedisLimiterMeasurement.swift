import BenchmarkReporting
import Foundation
import RESPClient
import TokenBucket
import TokenBucketRedis

/// The Redis-backed limiter with leases beside the same limiter with one round trip a decision
/// (a lease of one token), against a local redis-server: decisions a second, decisions a second
/// of this process's CPU time, and Redis round trips a decision.
enum RedisLimiterMeasurement {
    /// Rounds of each variant, interleaved.
    static let rounds = 9
    /// How long each round runs.
    static let roundDuration: Duration = .milliseconds(250)
    /// Tenants the decisions cycle over.
    static let tenants = 100

    /// One round's figures.
    struct Round {
        let decisions: Int
        let seconds: Double
        let cpuSeconds: Double
        let roundTrips: Int
    }

    static func measure(redisURL: String, into report: inout Report) async throws {
        var configuration = try RedisConfiguration(url: redisURL)
        configuration.commandTimeout = .seconds(1)
        let client = RedisClient(configuration: configuration)
        _ = try await client.send(RESPCommand("FLUSHALL"))
        // A limit no decision reaches, so that both take the allow path: what is measured is the
        // cost of a decision, not the denial's.
        let limit = RateLimit(rate: 1e9, burst: 1_000_000)
        let leased = RedisRateLimiter(
            client: client, configuration: RedisRateLimiterConfiguration(limit: limit, keyPrefix: "bench:leased:", leaseSize: 100))
        let unleased = RedisRateLimiter(
            client: client, configuration: RedisRateLimiterConfiguration(limit: limit, keyPrefix: "bench:unleased:", leaseSize: 1))
        let keys = (0..<tenants).map { "tenant-\($0)" }
        // Warm up: connections, the script, the leases.
        _ = try await run(leased, keys: keys, for: .milliseconds(200))
        _ = try await run(unleased, keys: keys, for: .milliseconds(200))
        var leasedRounds: [Round] = []
        var unleasedRounds: [Round] = []
        for _ in 0..<rounds {
            leasedRounds.append(try await run(leased, keys: keys, for: roundDuration))
            unleasedRounds.append(try await run(unleased, keys: keys, for: roundDuration))
        }
        await client.shutdown()

        let median = { (rounds: [Round], figure: (Round) -> Double) -> Double in
            let sorted = rounds.map(figure).sorted()
            return sorted[sorted.count / 2]
        }
        let perSecond = { (rounds: [Round]) in median(rounds) { Double($0.decisions) / $0.seconds } }
        let perCPUSecond = { (rounds: [Round]) in median(rounds) { Double($0.decisions) / $0.cpuSeconds } }
        let tripsPerDecision = { (rounds: [Round]) in median(rounds) { Double($0.roundTrips) / Double($0.decisions) } }
        let format = { (value: Double, unit: String) in "\(Report.grouped(value)) \(unit)" }

        report.section(
            "Redis-backed (RedisRateLimiter) against a local redis-server, \(tenants) tenants, one caller task: "
                + "leases of 100 beside one round trip a decision",
            ours: "leases of 100", peer: "a round trip each")
        report.row("decisions/s", ours: format(perSecond(leasedRounds), "/s"), peer: format(perSecond(unleasedRounds), "/s"),
            ratio: perSecond(leasedRounds) / perSecond(unleasedRounds))
        let leasedCPU = perCPUSecond(leasedRounds)
        report.row("decisions per CPU-second", ours: format(leasedCPU, "/s"), peer: format(perCPUSecond(unleasedRounds), "/s"),
            ratio: leasedCPU / perCPUSecond(unleasedRounds))
        report.row("round trips/decision", ours: String(format: "%.4f", tripsPerDecision(leasedRounds)),
            peer: String(format: "%.4f", tripsPerDecision(unleasedRounds)))
        report.note("medians of \(rounds) interleaved rounds of \(Int(InterleavedTimer.seconds(roundDuration) * 1000)) ms; "
            + "CPU time is this process's (user and system, all its threads); redis-server runs beside it")
        report.target("Redis-backed ≥ 200,000 decisions/s per core", on: "\(tenants) tenants, leases",
            met: leasedCPU >= 200_000, figure: format(leasedCPU, "/CPU-s"))
    }

    /// Decides in a loop over `keys` for `duration`.
    static func run(_ limiter: RedisRateLimiter, keys: [String], for duration: Duration) async throws -> Round {
        let clock = ContinuousClock()
        let tripsBefore = limiter.roundTrips
        let cpuBefore = processCPUSeconds()
        let start = clock.now
        let end = start + duration
        var decisions = 0
        var denied = 0
        var index = 0
        while clock.now < end {
            for _ in 0..<100 {
                if await !limiter.allow(keys[index]).isAllowed { denied += 1 }
                index = index == keys.count - 1 ? 0 : index + 1
            }
            decisions += 100
        }
        let seconds = InterleavedTimer.seconds(clock.now - start)
        guard denied == 0, !limiter.isFallingBack else {
            throw InputError("the Redis-backed limiter denied \(denied) decisions or fell back: is redis-server up?")
        }
        return Round(decisions: decisions, seconds: seconds, cpuSeconds: processCPUSeconds() - cpuBefore,
            roundTrips: limiter.roundTrips - tripsBefore)
    }
}
