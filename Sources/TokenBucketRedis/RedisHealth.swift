import CoreMetrics
import Synchronization

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

    /// Redis failed at `now`: fall back, and check again after the initial delay (or, if already
    /// falling back, after the next, doubled delay).
    func failed(at now: Int64) {
        let entered = state.withLock { state -> Bool in
            let entered = !fallingBack.load(ordering: .relaxed)
            state.failures = entered ? 1 : state.failures + 1
            let shift = min(state.failures - 1, 30)
            let (delay, overflow) = initialDelay.multipliedReportingOverflow(by: 1 << shift)
            state.nextCheck = now &+ (overflow ? maximumDelay : min(delay, maximumDelay))
            state.checking = false
            fallingBack.store(true, ordering: .releasing)
            return entered
        }
        if entered {
            gauge.record(1)
            fallbacks.increment()
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
