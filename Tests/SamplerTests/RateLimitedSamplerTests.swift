import Sampler
import Testing
import TokenBucket
import W3CTraceContext

/// `RateLimitedSampler`: at most the limit per key, on a manual clock; no `ot` threshold.
@Suite struct RateLimitedSamplerTests {
    static let start: Int64 = 1_000_000_000_000

    static func decisions(_ sampler: RateLimitedSampler<String>, _ key: String, count: Int) -> [Bool] {
        (0..<count).map { _ in sampler.shouldSample(key: key, parent: nil).decision == .recordAndSample }
    }

    @Test func atMostTheRatePerKey() throws {
        let clock = ManualRateLimiterClock(nanoseconds: Self.start)
        let sampler = try RateLimitedSampler<String>(
            limit: RateLimit(rate: 10, burst: 10), overrides: ["checkout": RateLimit(rate: 100, burst: 100)], clock: clock)
        #expect(Self.decisions(sampler, "shop", count: 12) == Array(repeating: true, count: 10) + [false, false])
        #expect(Self.decisions(sampler, "blog", count: 11).filter { $0 }.count == 10)
        #expect(Self.decisions(sampler, "checkout", count: 101).filter { $0 }.count == 100)
        // A tenth of a second brings one trace back; a second, the whole burst.
        clock.advance(by: .milliseconds(100))
        #expect(Self.decisions(sampler, "shop", count: 2) == [true, false])
        clock.advance(by: .seconds(1))
        #expect(Self.decisions(sampler, "shop", count: 11).filter { $0 }.count == 10)
        // Over ten seconds at a steady 50 traces a second: 10 a second, and at most one burst more.
        var passed = 0
        for _ in 0..<500 {
            clock.advance(by: .milliseconds(20))
            if sampler.shouldSample(key: "steady", parent: nil).decision == .recordAndSample { passed += 1 }
        }
        #expect((100...110).contains(passed))
    }

    @Test func noThresholdOnEitherDecision() throws {
        let sampler = try RateLimitedSampler<String>(limit: RateLimit(rate: 0, burst: 1), clock: ManualRateLimiterClock())
        let parent = ParentSpanContext.remote(
            TraceContext(
                traceID: TraceID(high: 1, low: 2), spanID: SpanID(rawValue: 3), flags: .sampled,
                traceState: try TraceState(parsing: "vendor=1,ot=th:8;rv:00000000000001")))
        let sampled = sampler.shouldSample(key: "a", parent: parent)
        #expect(sampled.decision == .recordAndSample && sampled.traceState.headerValue == "ot=rv:00000000000001,vendor=1")
        let dropped = sampler.shouldSample(key: "a", parent: parent)
        #expect(dropped.decision == .drop && dropped.traceState.headerValue == "ot=rv:00000000000001,vendor=1")
        #expect(sampler.shouldSample(key: "b", parent: nil).traceState.isEmpty)
    }

    @Test func badConfigurationIsATypedError() {
        for limit in [RateLimit(rate: .nan, burst: 1), RateLimit(rate: -1, burst: 1), RateLimit(rate: 1, burst: -1)] {
            #expect(throws: SamplerConfigurationError.self) { try RateLimitedSampler<String>(limit: limit) }
            #expect(throws: SamplerConfigurationError.self) {
                try RateLimitedSampler<String>(limit: .alloyDefault, overrides: ["x": limit])
            }
        }
        #expect(throws: SamplerConfigurationError.invalidMaxKeys(0)) {
            try RateLimitedSampler<String>(limit: .alloyDefault, maxKeys: 0)
        }
    }
}
