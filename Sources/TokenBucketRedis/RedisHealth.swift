import CoreMetrics
import Synchronization
import TokenBucket

/// Whether a limiter decides through Redis or falls back, and when to check whether Redis is back;
/// reported as the gauge `rum_rate_limiter_redis_fallback` (1 while falling back).
final class RedisHealth: Sendable {
    private struct State {
        /// Failed checks in a row since falling back.
        var failures = 0
        /// When the next check may start, in nanoseconds of the limiter's clock.
        var nextCheck: Int64 = .min
        /// Whether a check is under way.
        var checking = false
    }

    private let fallingBack = Atomic<Bool>(false)
    private let state = Mutex(State())
    private let initialDelay: Int64
    private let maximumDelay: Int64
    private let gauge: Gauge
    private let fallbacks: Counter

    /// A healthy state; checks back off from `initialDelay` to `maximumDelay` (nanoseconds).
    init(initialDelay: Int64, maximumDelay: Int64, label: String) {
        self.initialDelay = max(1, initialDelay)
        self.maximumDelay = max(self.initialDelay, maximumDelay)
        gauge = Gauge(label: "rum_rate_limiter_redis_fallback", dimensions: [("limiter", label)])
        fallbacks = Counter(label: "rum_rate_limiter_redis_fallbacks_total", dimensions: [("limiter", label)])
        gauge.record(0)
    }

    /// Whether decisions fall back to the node alone.
    var isFallingBack: Bool { fallingBack.load(ordering: .acquiring) }

    /// A request through Redis failed at `now`: fall back, and check whether Redis is back after
    /// the initial delay. Already falling back (requests under way when the first failed), nothing
    /// changes: only failed checks lengthen the wait, so that many keys failing at once count once.
    func failed(at now: Int64) {
        let entered = state.withLock { state -> Bool in
            guard !fallingBack.load(ordering: .relaxed) else { return false }
            state.failures = 1
            state.nextCheck = TokenBucketLimiter.adding(initialDelay, to: now)
            fallingBack.store(true, ordering: .releasing)
            return true
        }
        if entered {
            gauge.record(1)
            fallbacks.increment()
        }
    }

    /// The check whether Redis is back failed at `now`: the next waits twice as long as the last,
    /// up to the maximum delay.
    func checkFailed(at now: Int64) {
        state.withLock { state in
            state.failures += 1
            let shift = min(state.failures - 1, 30)
            let (delay, overflow) = initialDelay.multipliedReportingOverflow(by: 1 << shift)
            state.nextCheck = TokenBucketLimiter.adding(overflow ? maximumDelay : min(delay, maximumDelay), to: now)
            state.checking = false
        }
    }

    /// Whether a check whether Redis is back should start at `now`; at most one is under way.
    func startCheck(at now: Int64) -> Bool {
        state.withLock { state in
            guard fallingBack.load(ordering: .relaxed), !state.checking, now >= state.nextCheck else { return false }
            state.checking = true
            return true
        }
    }

    /// Redis answered: decide through it again.
    func recovered() {
        let left = state.withLock { state -> Bool in
            state.failures = 0
            state.checking = false
            return fallingBack.exchange(false, ordering: .acquiringAndReleasing)
        }
        if left { gauge.record(0) }
    }
}
