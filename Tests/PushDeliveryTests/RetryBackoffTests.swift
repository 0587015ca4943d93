import PushDelivery
import TestSupport
import Testing

/// The backoff between attempts and the `Retry-After` header.
struct RetryBackoffTests {
    @Test("delays double from the minimum, stay within their upper half, and stop at the maximum")
    func exponentialBackoffWithJitter() {
        let policy = RetryBackoff(minimum: .milliseconds(500), maximum: .seconds(300))
        var generator = SplitMix64(state: 7)
        for retry in 1...20 {
            let ceiling = min(Duration.milliseconds(500) * (1 << min(retry - 1, 20)), .seconds(300))
            for _ in 0..<50 {
                let delay = policy.delay(beforeRetry: retry, retryAfter: nil, using: &generator)
                #expect(delay >= ceiling / 2 && delay <= ceiling, "retry \(retry): \(delay)")
            }
        }
        #expect(policy.delay(beforeRetry: 1_000, retryAfter: nil, using: &generator) <= .seconds(300))
    }

    @Test("Retry-After lengthens a delay, up to the maximum backoff, and never shortens one")
    func retryAfterIsHonoured() {
        let policy = RetryBackoff(minimum: .milliseconds(10), maximum: .seconds(60))
        var generator = SplitMix64(state: 1)
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(5), using: &generator) == .seconds(5))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(3_600), using: &generator) == .seconds(60))
        #expect(policy.delay(beforeRetry: 12, retryAfter: .milliseconds(1), using: &generator) >= .seconds(20))
    }

    @Test("Retry-After as seconds or an IMF-fixdate; other forms are ignored")
    func parsesRetryAfter() {
        // 1994-11-06T08:49:37Z is 784111777 seconds after 1970.
        let now: Int64 = 784_111_777
        #expect(RetryAfter.delay("120", nowSecondsSince1970: now) == .seconds(120))
        #expect(RetryAfter.delay(" 0 ", nowSecondsSince1970: now) == .seconds(0))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:37 GMT", nowSecondsSince1970: now) == .seconds(0))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:50:07 GMT", nowSecondsSince1970: now) == .seconds(30))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:00:00 GMT", nowSecondsSince1970: now) == .seconds(0))
        #expect(RetryAfter.delay("Thu, 29 Feb 2024 00:00:00 GMT", nowSecondsSince1970: 1_709_164_800 - 10) == .seconds(10))
        #expect(RetryAfter.delay("Sunday, 06-Nov-94 08:49:37 GMT", nowSecondsSince1970: now) == nil)
        #expect(RetryAfter.delay("Sun Nov  6 08:49:37 1994", nowSecondsSince1970: now) == nil)
        #expect(RetryAfter.delay("-5", nowSecondsSince1970: now) == nil)
        #expect(RetryAfter.delay("1.5", nowSecondsSince1970: now) == nil)
        #expect(RetryAfter.delay("", nowSecondsSince1970: now) == nil)
        #expect(RetryAfter.delay("Sun, 06 Foo 1994 08:49:37 GMT", nowSecondsSince1970: now) == nil)
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 25:49:37 GMT", nowSecondsSince1970: now) == nil)
    }
}

/// The package's whole-nanosecond view of a `Duration`.
struct DurationNanosecondsTests {
    @Test("whole nanoseconds, truncated, saturating at the ends of Int64")
    func nanoseconds() {
        #expect(Duration.seconds(2).nanoseconds == 2_000_000_000)
        #expect(Duration.milliseconds(-3).nanoseconds == -3_000_000)
        #expect((Duration.nanoseconds(5) + .init(secondsComponent: 0, attosecondsComponent: 999_999_999)).nanoseconds == 5)
        #expect(Duration.seconds(Int64.max).nanoseconds == .max)
        #expect(Duration.seconds(Int64.min).nanoseconds == .min)
    }
}
