import BenchmarkReporting
import Dispatch
import Foundation
import TokenBucket

/// Measures TokenBucket's lock-free limiters beside the mutex-protected port of Go's
/// `x/time/rate` (`TokenBucketLimiter`, a `Mutex` around exactly Go's steps), in one process,
/// and prints medians, ratios and whether the targets are met:
///
/// - `GCRALimiter.allow`, one key, uncontended: at least 3x the mutex port;
/// - `KeyedRateLimiter.allow` over 100,000 keys: under 100 ns a decision.
///
/// It also prints the uncontended pair's fastest rounds (what a noisy machine disturbs least; the
/// target is judged on the medians) and two threads contending for one key, with both limiters.
/// With `--redis URL` it measures the Redis-backed limiter too (`RedisLimiterMeasurement`): at
/// least 200,000 decisions a second per core with leases. Usage: `token-bucket-ratios [--check] [--redis URL]`; with
/// `--check` it exits with status 1 when a target is missed.
/// Build it with `-c release` (`Benchmarks/run` does).
@main
struct TokenBucketRatios {
    /// Decisions per timed call, so that the timer's own cost is spread thin.
    static let decisionsPerCall = 10_000
    /// Keys of the keyed limiter.
    static let keyCount = 100_000

    /// Runs the tool.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let check = arguments.contains("--check")
        arguments.removeAll { $0 == "--check" }
        var redisURL: String?
        if arguments.count == 2, arguments[0] == "--redis" {
            redisURL = arguments[1]
        } else if !arguments.isEmpty {
            FileHandle.standardError.write(Data("usage: token-bucket-ratios [--check] [--redis redis://127.0.0.1:PORT]\n".utf8))
            exit(2)
        }
        do {
            // A figure is a time and a rate a decision: wider than the default column.
            var columns = Report.Columns()
            columns.figure = 46
            var report = Report(
                title: "TokenBucket beside the mutex-protected port of x/time/rate (TokenBucketLimiter): same process.",
                ours: "lock-free", peer: "mutex port", columns: columns)
            report.header()
            try measure(into: &report)
            if let redisURL {
                try await RedisLimiterMeasurement.measure(redisURL: redisURL, into: &report)
            } else {
                report.note("no --redis: the Redis-backed limiter was not measured (Benchmarks/run starts a redis-server)")
            }
            report.summary()
            if check && report.missed > 0 { exit(1) }
        } catch {
            FileHandle.standardError.write(Data("token-bucket-ratios: \(error)\n".utf8))
            exit(1)
        }
    }

    /// `decisionsPerCall` decisions of `decide` at times a microsecond apart, from `start`; returns
    /// how many were allowed (so that nothing is optimized away) and the next start.
    @inline(never)
    static func decide(from start: Int64, _ decide: (Int64) -> Bool) -> (allowed: Int, next: Int64) {
        var allowed = 0
        var time = start
        for _ in 0..<decisionsPerCall {
            if decide(time) { allowed += 1 }
            time += 1_000
        }
        return (allowed, time)
    }

    static func measure(into report: inout Report) throws {
        // A rate that admits most decisions a microsecond apart, so that both take the allow path.
        let limit = RateLimit(rate: 900_000, burst: 1_000)
        let gcra = GCRALimiter(limit)
        let mutex = TokenBucketLimiter(limit)
        var gcraTime: Int64 = 1_000_000_000
        var mutexTime: Int64 = 1_000_000_000

        // Two threads on one key: this thread and one worker, each its own run of decisions.
        let sharedGCRA = GCRALimiter(limit)
        let sharedMutex = TokenBucketLimiter(limit)
        let contendedStart = Int64(1_000_000_000)

        let clock = ManualRateLimiterClock(nanoseconds: 1_000_000_000)
        let keyed = KeyedRateLimiter<Int>(limit: limit, maxKeys: keyCount * 2, clock: clock)
        for key in 0..<keyCount { _ = keyed.allow(key) }
        var nextKey = 0

        let operations: [() throws -> Void] = [
            {
                let (allowed, next) = decide(from: gcraTime) { gcra.allow(1, at: $0) }
                gcraTime = next
                blackHole(allowed)
            },
            {
                let (allowed, next) = decide(from: mutexTime) { mutex.allow(1, at: $0) }
                mutexTime = next
                blackHole(allowed)
            },
            {
                DispatchQueue.concurrentPerform(iterations: 2) { _ in
                    blackHole(decide(from: contendedStart) { sharedGCRA.allow(1, at: $0) })
                }
            },
            {
                DispatchQueue.concurrentPerform(iterations: 2) { _ in
                    blackHole(decide(from: contendedStart) { sharedMutex.allow(1, at: $0) })
                }
            },
            {
                var allowed = 0
                for _ in 0..<decisionsPerCall {
                    if keyed.allow(nextKey) { allowed += 1 }
                    nextKey = nextKey == keyCount - 1 ? 0 : nextKey + 1
                }
                clock.advance(by: 1_000_000)
                blackHole(allowed)
            },
        ]
        let timings = try InterleavedTimer().measure(operations)
        let decisions = Double(decisionsPerCall)
        let nanoseconds = { (timing: Timing, count: Double) in timing.median / count * 1e9 }
        let format = report
        let perDecision = { (timing: Timing, count: Double) in
            String(format: "%.1f ns/decision", nanoseconds(timing, count)) + " " + format.rate(count, timing, unit: "decisions/s")
        }
        report.section("allow, one key: \(Report.grouped(decisions)) decisions a call, a microsecond apart")
        let uncontended = timings[1].median / timings[0].median
        report.row("uncontended (GCRA)", ours: perDecision(timings[0], decisions), peer: perDecision(timings[1], decisions),
            ratio: uncontended)
        let fastest = { (timing: Timing) in String(format: "%.1f ns/decision", timing.fastest / decisions * 1e9) }
        report.row("uncontended, fastest round", ours: fastest(timings[0]), peer: fastest(timings[1]),
            ratio: timings[1].fastest / timings[0].fastest)
        report.row("2 threads, one key", ours: perDecision(timings[2], 2 * decisions),
            peer: perDecision(timings[3], 2 * decisions), ratio: timings[3].median / timings[2].median)
        let keyedNanoseconds = nanoseconds(timings[4], decisions)
        report.row("keyed, \(Report.grouped(Double(keyCount))) keys", ours: perDecision(timings[4], decisions))
        report.note("keys cycled in order; the keyed limiter's clock is a manual one (an atomic load)")

        report.target("allow ≥ 3x the mutex port, uncontended", on: "one key", met: uncontended >= 3,
            figure: Report.ratio(uncontended))
        report.target("keyed decision < 100 ns", on: "100,000 keys", met: keyedNanoseconds < 100,
            figure: String(format: "%.1f ns", keyedNanoseconds))
    }
}
