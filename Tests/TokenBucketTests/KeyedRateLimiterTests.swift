import Testing
import TokenBucket

/// `KeyedRateLimiter`: a bucket per key, overrides and costs, bounded memory with eviction.
@Suite struct KeyedRateLimiterTests {
    static let start: Int64 = 1_000_000_000_000

    @Test func eachKeyHasItsOwnBucket() {
        let clock = ManualRateLimiterClock(nanoseconds: Self.start)
        let limiter = KeyedRateLimiter<String>(limit: RateLimit(rate: 10, burst: 2), clock: clock)
        #expect(limiter.allow("a") && limiter.allow("a") && !limiter.allow("a"))
        #expect(limiter.allow("b") && limiter.allow("b") && !limiter.allow("b"))
        clock.advance(by: .milliseconds(100))
        #expect(limiter.allow("a") && !limiter.allow("a"))
        #expect(limiter.keyCount == 2)
    }

    @Test func overridesAndCosts() {
        let clock = ManualRateLimiterClock(nanoseconds: Self.start)
        let limiter = KeyedRateLimiter<String>(
            limit: RateLimit(rate: 1, burst: 1), overrides: ["big": RateLimit(rate: 100, burst: 50)], clock: clock)
        #expect(limiter.allow("big", cost: 50))
        #expect(!limiter.allow("big", cost: 1))
        #expect(!limiter.allow("small", cost: 2))  // more than the burst, never
        #expect(limiter.allow("small", cost: 1))
        let reservation = limiter.reserve("small")
        #expect(reservation.isOK && reservation.delay(from: clock.nanoseconds()) == 1_000_000_000)
    }

    @Test func memoryIsBounded() {
        let clock = ManualRateLimiterClock(nanoseconds: Self.start)
        let limiter = KeyedRateLimiter<Int>(
            limit: RateLimit(rate: 1, burst: 1), maxKeys: 64, idleTimeout: .seconds(60), shardCount: 4, clock: clock)
        for key in 0..<1_000 {
            #expect(limiter.allow(key))
            clock.advance(by: .milliseconds(1))
        }
        #expect(limiter.keyCount <= 64)
        #expect(limiter.evictions == 1_000 - limiter.keyCount)
        // Idle keys go on a sweep.
        clock.advance(by: .seconds(61))
        let held = limiter.keyCount
        #expect(limiter.evictIdle() == held && limiter.keyCount == 0)
        #expect(limiter.evictions == 1_000)
        // An evicted key comes back with a full bucket.
        #expect(limiter.allow(999))
    }

    @Test func concurrentKeysKeepTheirLimits() async {
        let limiter = KeyedRateLimiter<Int>(limit: RateLimit(rate: 0.001, burst: 10), clock: ManualRateLimiterClock())
        let admitted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<4_000).reduce(0) { count, index in count + (limiter.allow(index % 100) ? 1 : 0) } }
            }
            return await group.reduce(0, +)
        }
        #expect(admitted == 100 * 10)
    }
}
