import Foundation
import Synchronization
import TestSupport
import Testing
import TokenBucket

/// `GCRALimiter` decides as `TokenBucketLimiter` (the port of x/time/rate) does.
@Suite struct GCRALimiterTests {
    /// Random events on a clock that never goes back, with steps in whole intervals or in
    /// milliseconds, and cancellations of reservations made earlier: every decision, every wait
    /// and the tokens agree.
    @Test(arguments: [(10.0, 1), (10, 3), (50, 100), (100, 100), (1_000, 20), (4, 2), (0.5, 5)])
    func decidesAsTheTokenBucket(rate: Double, burst: Int) {
        var generator = SplitMix64(state: UInt64(rate * 1000) &+ UInt64(burst))
        let interval = Int64((1e9 / rate).rounded())
        let bucket = TokenBucketLimiter(RateLimit(rate: rate, burst: burst))
        let gcra = GCRALimiter(RateLimit(rate: rate, burst: burst))
        var time: Int64 = 1_000_000_000_000
        var reservations: [(bucket: RateLimitReservation, gcra: RateLimitReservation)] = []
        for step in 0..<5_000 {
            switch generator.next() % 4 {
            case 0: break
            case 1: time += interval * Int64(generator.next() % 3)
            default: time += Int64(generator.next() % 5) * 1_000_000
            }
            let n = Int(generator.next() % UInt64(burst + 2))
            if generator.next() % 5 == 0 {
                // Waits of up to a few bursts, so that reservations pile up behind each other.
                let maximumWait = Int64(generator.next() % UInt64(3 * burst + 3)) * interval
                let expected = bucket.reserve(n, at: time, maximumWait: maximumWait)
                let actual = gcra.reserve(n, at: time, maximumWait: maximumWait)
                #expect(actual.isOK == expected.isOK, "step \(step): reserve \(n)")
                if actual.isOK && expected.isOK {
                    #expect(abs(actual.timeToAct - expected.timeToAct) <= 1_000, "step \(step): acts at")
                    reservations.append((expected, actual))
                }
            } else if generator.next() % 6 == 0, !reservations.isEmpty {
                let (expected, actual) = reservations.remove(at: Int(generator.next() % UInt64(reservations.count)))
                bucket.cancel(expected, at: time)
                gcra.cancel(actual, at: time)
            } else {
                #expect(gcra.allow(n, at: time) == bucket.allow(n, at: time), "step \(step): allow \(n) at \(time)")
            }
            #expect(abs(gcra.tokens(at: time) - bucket.tokens(at: time)) < 1e-6, "step \(step): tokens")
        }
    }

    @Test func changesKeepTheTokens() {
        let time: Int64 = 1_000_000_000_000
        let bucket = TokenBucketLimiter(RateLimit(rate: 10, burst: 4))
        let gcra = GCRALimiter(RateLimit(rate: 10, burst: 4))
        for limiter in [bucket.allow(3, at: time), gcra.allow(3, at: time)] { #expect(limiter) }
        bucket.setRate(100, at: time + 50_000_000)
        gcra.setRate(100, at: time + 50_000_000)
        #expect(abs(gcra.tokens(at: time + 50_000_000) - 1.5) < 1e-9)
        for offset: Int64 in [60_000_000, 70_000_000, 80_000_000] {
            #expect(gcra.allow(2, at: time + offset) == bucket.allow(2, at: time + offset))
            #expect(abs(gcra.tokens(at: time + offset) - bucket.tokens(at: time + offset)) < 1e-6)
        }
        bucket.setBurst(1, at: time + 90_000_000)
        gcra.setBurst(1, at: time + 90_000_000)
        #expect(gcra.tokens(at: time + 90_000_000) == bucket.tokens(at: time + 90_000_000))
        #expect(!gcra.allow(2, at: time + 100_000_000))
        #expect(gcra.limit == RateLimit(rate: 100, burst: 1))
    }

    @Test func zeroAndInfiniteRates() {
        let zero = GCRALimiter(RateLimit(rate: 0, burst: 2))
        #expect(zero.allow(2, at: 0))
        #expect(!zero.allow(1, at: 1_000_000_000_000))
        #expect(zero.reserve(1, at: 5).delay(from: 5) == .max)
        let infinite = GCRALimiter(RateLimit(rate: .infinity, burst: 0))
        #expect(infinite.allow(1_000_000, at: 0))
        #expect(!GCRALimiter(RateLimit(rate: 10, burst: 1)).allow(2, at: 0))
    }

    /// Threads taking tokens at once take exactly what the bucket holds.
    @Test func concurrentEventsTakeTheBurstOnce() async {
        let limiter = GCRALimiter(RateLimit(rate: 1, burst: 1_000))
        let admitted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<1_000).reduce(0) { count, _ in count + (limiter.allow(1, at: 5) ? 1 : 0) } }
            }
            return await group.reduce(0, +)
        }
        #expect(admitted == 1_000)
    }

    /// Reservations made and cancelled, and the rate changed, on one thread while another decides:
    /// nothing deadlocks (reservations and cancellations hold a lock of their own and may wait for
    /// a change's), and the bucket never holds more than its burst.
    @Test func cancellingWhileDecidingAndChanging() {
        let limiter = GCRALimiter(RateLimit(rate: 1_000, burst: 50))
        let time: Int64 = 1_000_000_000_000
        Self.onTwoThreads { worker in
            for step in 0..<20_000 {
                let now = time + Int64(step) * 1_000
                if worker == 0 {
                    limiter.cancel(limiter.reserve(3, at: now, maximumWait: .max), at: now)
                    if step % 1_000 == 0 { limiter.setRate(step % 2_000 == 0 ? 500 : 1_000, at: now) }
                } else {
                    _ = limiter.allow(1, at: now)
                }
            }
        }
        #expect(limiter.tokens(at: time + 20_000_000) <= 50)
    }

    /// Runs `body` with 0 and with 1 on two threads of their own (a pool could run the two one after
    /// the other), and waits for both.
    static func onTwoThreads(_ body: @escaping @Sendable (Int) -> Void) {
        let done = DispatchGroup()
        for worker in 0..<2 {
            done.enter()
            Thread {
                body(worker)
                done.leave()
            }.start()
        }
        done.wait()
    }

    /// A change of limit made while threads decide keeps their decisions: with the clock frozen
    /// no more than the burst is ever admitted. (Storing the TAT blindly undid decisions taken
    /// between its read and its write: up to all 300 admitted.)
    @Test func changesUnderTrafficKeepTheDecisions() {
        for _ in 0..<300 {
            let limiter = GCRALimiter(RateLimit(rate: 1, burst: 100))
            let admitted = Mutex(0)
            let ready = Atomic(0)
            // Started together, so that the changes fall among the decisions.
            Self.onTwoThreads { worker in
                ready.add(1, ordering: .relaxed)
                while ready.load(ordering: .relaxed) < 2 {}
                if worker == 0 {
                    var count = 0
                    for _ in 0..<300 where limiter.allow(1, at: 5) { count += 1 }
                    admitted.withLock { $0 = count }
                } else {
                    for _ in 0..<300 { limiter.setRate(1, at: 5) }
                }
            }
            #expect(admitted.withLock { $0 } <= 100)
        }
    }

    /// A rate lowered from 1000/s to 1/s while decisions are made at the same instant on an empty
    /// bucket: no decision mixes the new interval with the old TAT. Before the sequence lock, some
    /// trials admitted events, or left the bucket thousands of tokens in debt (an hour's lock-out at
    /// the new rate).
    @Test func aDecisionDuringAChangeUsesOneLimit() {
        let trials = 20_000
        let time: Int64 = 1_000_000_000_000
        let limiters = (0..<trials).map { _ in
            let limiter = GCRALimiter(RateLimit(rate: 1_000, burst: 5))
            _ = limiter.allow(5, at: time)
            return limiter
        }
        let arrived = Atomic(0)
        let admitted = Atomic(0)
        Self.onTwoThreads { worker in
            for trial in 0..<trials {
                // Both threads start each trial together.
                arrived.add(1, ordering: .relaxed)
                while arrived.load(ordering: .relaxed) < 2 * (trial + 1) { sched_yield() }
                if worker == 0 {
                    // The change comes at a moment that varies among the decisions.
                    for _ in 0..<(trial % 50) { _ = limiters[trial].tokens(at: time) }
                    limiters[trial].setRate(1, at: time)
                } else {
                    for _ in 0..<100 where limiters[trial].allow(1, at: time) { admitted.add(1, ordering: .relaxed) }
                }
            }
        }
        #expect(admitted.load(ordering: .relaxed) == 0)
        let inDebt = limiters.count { $0.tokens(at: time) < -1e-9 }
        #expect(inDebt == 0, "the deepest debt: \(limiters.map { $0.tokens(at: time) }.min() ?? 0) tokens")
        #expect(limiters.allSatisfy { $0.limit == RateLimit(rate: 1, burst: 5) })
    }

    /// A negative `maximumWait` grants nothing, as `TokenBucketLimiter` and x/time/rate decide (a
    /// wait of 0 is not at most -1).
    @Test func negativeMaximumWaitGrantsNothing() {
        let gcra = GCRALimiter(RateLimit(rate: 10, burst: 2))
        let bucket = TokenBucketLimiter(RateLimit(rate: 10, burst: 2))
        #expect(!bucket.reserve(1, at: 0, maximumWait: -1).isOK)
        #expect(!gcra.reserve(1, at: 0, maximumWait: -1).isOK)
        #expect(gcra.reserve(1, at: 0, maximumWait: 0).isOK)
    }

    /// Buckets spanning more than `Int64`'s nanoseconds decide as `TokenBucketLimiter` does,
    /// and no limit, however large or small, traps.
    @Test func extremeLimitsNeitherOverflowNorTrap() {
        for limit in [RateLimit(rate: 1.0 / 3600, burst: 3_000_000), RateLimit(rate: 1e-6, burst: 10_000)] {
            #expect(GCRALimiter(limit).allow(1, at: 0) == TokenBucketLimiter(limit).allow(1, at: 0))
            #expect(GCRALimiter(limit).allow(1, at: 0))
        }
        let changed = GCRALimiter(RateLimit(rate: 10, burst: 10))
        changed.setBurst(20_000_000_000, at: 1)
        changed.setRate(1e-9, at: 2)
        #expect(changed.allow(1, at: 3))
        let zero = GCRALimiter(RateLimit(rate: 0, burst: .max))
        #expect(zero.allow(.max, at: 0))
        #expect(!zero.allow(.max, at: 0))
        #expect(zero.reserve(.max, at: 0).timeToAct == .max)
        // NaN is taken as rate 0: the burst, once.
        let nan = GCRALimiter(RateLimit(rate: .nan, burst: 2))
        #expect(nan.allow(2, at: 0) && !nan.allow(1, at: 1_000_000_000_000))
    }

    /// Costs at the ends of `Int` decide as `TokenBucketLimiter` does, without trapping: a cost of
    /// `Int.min` at an interval of a nanosecond made the wait `Int64.min` less the burst's span,
    /// past `Int64`. A negative cost fills the bucket, so a cost of 1 is allowed after it.
    @Test(arguments: [Int.min, Int.min / 2 + 1, -1, Int.max])
    func extremeCostsDecideWithoutTrapping(cost: Int) {
        for limit in [RateLimit(rate: 1e9, burst: 10), RateLimit(rate: 1, burst: 1)] {
            for ahead in [false, true] {
                let gcra = GCRALimiter(limit)
                let bucket = TokenBucketLimiter(limit)
                // With the TAT ahead of the time (the bucket empty) or not.
                if ahead {
                    #expect(gcra.allow(limit.burst, at: 1_000) == bucket.allow(limit.burst, at: 1_000))
                }
                #expect(gcra.allow(cost, at: 1_000) == bucket.allow(cost, at: 1_000), "\(limit) \(cost)")
                let reserved = bucket.reserve(cost, at: 1_000, maximumWait: 0).isOK
                #expect(gcra.reserve(cost, at: 1_000, maximumWait: 0).isOK == reserved)
                #expect(gcra.allow(1, at: 1_000) == bucket.allow(1, at: 1_000), "\(limit) \(cost) then 1")
                let keyed = KeyedRateLimiter<Int>(limit: limit, clock: ManualRateLimiterClock(nanoseconds: 1_000))
                if ahead { _ = keyed.allow(0, cost: limit.burst) }
                #expect(keyed.allow(0, cost: cost) == (cost <= limit.burst))
            }
        }
    }

    /// Reservations, changes and tokens on the limiter's own clock, for `Retry-After`: the same as
    /// at the clock's reading, for both limiters.
    @Test func ownClockReservationsAndChanges() {
        let clock = ManualRateLimiterClock(nanoseconds: 1_000_000_000_000)
        let gcra = GCRALimiter(RateLimit(rate: 10, burst: 2), clock: clock)
        let bucket = TokenBucketLimiter(RateLimit(rate: 10, burst: 2), clock: clock)
        #expect(gcra.reserve(2).delay(from: gcra.clock.nanoseconds()) == 0)
        #expect(bucket.reserve(2).delay(from: bucket.clock.nanoseconds()) == 0)
        let waiting = gcra.reserve()
        #expect(waiting.isOK && waiting.delay(from: gcra.clock.nanoseconds()) == 100_000_000)
        #expect(bucket.reserve().delay(from: bucket.clock.nanoseconds()) == 100_000_000)
        #expect(!gcra.reserve(maximumWait: 150_000_000).isOK)
        clock.advance(by: .milliseconds(50))
        #expect(waiting.delay(from: gcra.clock.nanoseconds()) == 50_000_000)
        #expect(abs(gcra.tokens - bucket.tokens) < 1e-9 && abs(gcra.tokens + 0.5) < 1e-9)
        gcra.setRate(20)
        bucket.setRate(20)
        clock.advance(by: .milliseconds(100))
        #expect(abs(gcra.tokens - 1.5) < 1e-9 && abs(bucket.tokens - 1.5) < 1e-9)
        gcra.setBurst(1)
        bucket.setBurst(1)
        #expect(gcra.limit == RateLimit(rate: 20, burst: 1) && bucket.limit == RateLimit(rate: 20, burst: 1))
        #expect(gcra.tokens == 1 && bucket.tokens == 1)
        let cancelled = bucket.reserve()
        bucket.cancel(cancelled)
        #expect(bucket.tokens == 1)
    }

    /// At rate 0 and at an infinite rate, cancelling does what it does in the token bucket: the
    /// tokens of rate 0 come back whole (those never coming, of a reservation past the burst, too),
    /// and an infinite rate has nothing to give back.
    @Test func cancellingAtRateZeroAndInfinity() {
        for rate in [0, Double.infinity] {
            let limit = RateLimit(rate: rate, burst: 5)
            let gcra = GCRALimiter(limit)
            let bucket = TokenBucketLimiter(limit)
            let taken = (gcra.reserve(3, at: 10), bucket.reserve(3, at: 10))
            let beyond = (gcra.reserve(4, at: 10), bucket.reserve(4, at: 10))
            #expect(beyond.0.isOK && beyond.1.isOK)
            gcra.cancel(beyond.0, at: 20)
            bucket.cancel(beyond.1, at: 20)
            #expect(gcra.tokens(at: 20) == bucket.tokens(at: 20), "rate \(rate)")
            gcra.cancel(taken.0, at: 10)
            bucket.cancel(taken.1, at: 10)
            #expect(gcra.tokens(at: 20) == 5 && bucket.tokens(at: 20) == 5, "rate \(rate)")
            #expect(gcra.allow(5, at: 30) == bucket.allow(5, at: 30), "rate \(rate)")
        }
    }

    /// Tokens given back at rate 0 (a negative `n`, which Go takes) fill the bucket up to its
    /// burst, as `TokenBucketLimiter` caps them: the count of tokens taken went below zero, and
    /// the bucket let three more than its burst through.
    @Test func negativeEventsAtRateZeroFillUpToTheBurst() {
        let limit = RateLimit(rate: 0, burst: 10)
        let gcra = GCRALimiter(limit)
        let bucket = TokenBucketLimiter(limit)
        let keyed = KeyedRateLimiter<Int>(limit: limit, clock: ManualRateLimiterClock())
        #expect(gcra.allow(-3, at: 0) && bucket.allow(-3, at: 0) && keyed.allow(1, cost: -3))
        #expect(gcra.tokens(at: 0) == bucket.tokens(at: 0))
        #expect(gcra.allow(10, at: 0) && bucket.allow(10, at: 0) && keyed.allow(1, cost: 10))
        #expect(!gcra.allow(3, at: 0) && !bucket.allow(3, at: 0) && !keyed.allow(1, cost: 3))
    }

    /// A burst that a very slow rate clamps (`effectiveBurst`: 73 years of refill) comes back in
    /// full once the rate is faster: it stayed clamped for ever after.
    @Test func aClampedBurstComesBackWithAFasterRate() {
        let limit = RateLimit(rate: 1e-9, burst: 10)
        let gcra = GCRALimiter(limit)
        let bucket = TokenBucketLimiter(limit)
        gcra.setRate(1_000, at: 0)
        bucket.setRate(1_000, at: 0)
        #expect(gcra.limit == RateLimit(rate: 1_000, burst: 10))
        #expect(gcra.allow(10, at: 1_000_000_000) && bucket.allow(10, at: 1_000_000_000))
        gcra.setRate(1e-9, at: 2_000_000_000)
        gcra.setBurst(10, at: 2_000_000_000)
        gcra.setRate(1_000, at: 2_000_000_000)
        #expect(gcra.allow(10, at: 3_000_000_000))
    }
}
