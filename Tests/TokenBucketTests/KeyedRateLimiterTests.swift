import Testing
@testable import TokenBucket
import TestSupport

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
        #expect(reservation.isOK && reservation.delay(from: limiter.clock.nanoseconds()) == 1_000_000_000)
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

    /// 1,000 keys in a limiter of 1,000 keys over 64 shards, which the hashes fill unevenly: none
    /// is dropped (each dropped key came back with a full bucket: before shards took twice their
    /// share, ten rounds admitted about 2,000 events and dropped over 1,000 keys).
    @Test func keysSpreadUnevenlyAreKeptUpToMaxKeys() {
        let clock = ManualRateLimiterClock(nanoseconds: Self.start)
        let limiter = KeyedRateLimiter<Int>(limit: RateLimit(rate: 1, burst: 1), maxKeys: 1_000, clock: clock)
        var admitted = 0
        for _ in 0..<10 {
            for key in 0..<1_000 where limiter.allow(key) { admitted += 1 }
        }
        #expect(admitted == 1_000)
        #expect(limiter.evictions == 0 && limiter.keyCount == 1_000)
        // Past `maxKeys`, room is made in the new key's shard: the count stays bounded.
        for key in 1_000..<1_500 { _ = limiter.allow(key) }
        #expect(limiter.keyCount <= 1_000 + 64)
        #expect(limiter.evictions == 1_500 - limiter.keyCount)
    }

    /// A key unused for the idle timeout whose bucket still owes time, or at rate 0 has tokens
    /// taken, is not idle: dropped, it would come back with a full bucket.
    @Test func keysThatOweTimeAreNotIdle() {
        let clock = ManualRateLimiterClock(nanoseconds: Self.start)
        let limiter = KeyedRateLimiter<String>(
            limit: RateLimit(rate: 1.0 / 3600, burst: 1), overrides: ["blocked": RateLimit(rate: 0, burst: 2)],
            idleTimeout: .seconds(600), clock: clock)
        #expect(limiter.allow("slow") && limiter.allow("blocked", cost: 2))
        clock.advance(by: .seconds(700))
        #expect(limiter.evictIdle() == 0)
        #expect(!limiter.allow("slow") && !limiter.allow("blocked"))
        // Once its bucket is full again, an unused key is idle.
        clock.advance(by: .seconds(3600))
        #expect(limiter.evictIdle() == 1 && limiter.keyCount == 1)
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

/// `KeyTable`, the keyed limiter's hash table, against `Dictionary` on random operations.
@Suite struct KeyTableTests {
    /// A key whose hash collides often, so that probes and backward shifts run long.
    struct CollidingKey: Hashable {
        let value: Int
        func hash(into hasher: inout Hasher) { hasher.combine(value % 7) }
    }

    @Test func agreesWithDictionary() {
        var random = SplitMix64(state: 42)
        let table = KeyTable<CollidingKey, Int>()
        var model: [CollidingKey: Int] = [:]
        for step in 0..<20_000 {
            let key = CollidingKey(value: Int(random.next() % 300))
            let hash = KeyTable<CollidingKey, Int>.hash(key)
            let (index, found) = table.find(key, hash: hash)
            #expect(found == (model[key] != nil))
            switch random.next() % 4 {
            case 0 where found:
                table.remove(at: index)
                model[key] = nil
            case 1 where step % 500 == 0:
                let threshold = Int(random.next() % 1_000)
                let removed = table.removeAll { _, value in value < threshold }
                let before = model.count
                model = model.filter { $0.value >= threshold }
                #expect(removed == before - model.count)
            default:
                if found {
                    table.slots[index].value += 1
                    model[key]! += 1
                } else {
                    _ = table.insert(key, hash: hash, value: step, at: index)
                    model[key] = step
                }
            }
            #expect(table.count == model.count)
        }
        for (key, value) in model {
            let (index, found) = table.find(key, hash: KeyTable<CollidingKey, Int>.hash(key))
            #expect(found && table.slots[index].value == value)
        }
        let minimum = table.minimum(by: <).map { table.slots[$0].value }
        #expect(minimum == model.values.min())
    }

    /// Keys with heap storage (strings) are released when removed and when the table goes.
    @Test func holdsReferenceCountedKeys() {
        let table = KeyTable<String, Int>()
        for number in 0..<1_000 {
            let key = "tenant-\(number)-" + String(repeating: "x", count: 20)
            let hash = KeyTable<String, Int>.hash(key)
            _ = table.insert(key, hash: hash, value: number, at: table.find(key, hash: hash).index)
        }
        #expect(table.removeAll { _, value in value % 2 == 0 } == 500)
        #expect(table.count == 500)
        let key = "tenant-1-" + String(repeating: "x", count: 20)
        #expect(table.find(key, hash: KeyTable<String, Int>.hash(key)).found)
    }
}
