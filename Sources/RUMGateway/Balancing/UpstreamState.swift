import TokenBucket
import Synchronization

/// What the balancer keeps about one upstream that `pick` and `finish` read and write on every
/// request: atomics, so that no lock is taken on that path.
final class UpstreamState: Sendable {
    /// The upstream's name.
    let name: String
    /// Requests in flight.
    let outstanding = Atomic<Int>(0)
    /// Failures (`failure` or `notSent`) since the last success or ejection.
    let consecutiveFailures = Atomic<Int>(0)
    /// Whether active health checks count it healthy; written under the balancer's lock.
    let isHealthy = Atomic<Bool>(true)
    /// Until when it is ejected, in nanoseconds of the balancer's clock; `notEjected` when never
    /// ejected. An ejection ends when the clock passes this, without anyone writing it.
    let ejectedUntil = Atomic<Int64>(UpstreamState.notEjected)
    /// Times picked.
    let picks = Atomic<UInt64>(0)
    /// Times picked in panic mode.
    let panicPicks = Atomic<UInt64>(0)
    /// Requests that ended in `failure`.
    let failures = Atomic<UInt64>(0)
    /// Requests that ended in `notSent`.
    let notSent = Atomic<UInt64>(0)

    /// The value of `ejectedUntil` for an upstream never ejected.
    static let notEjected = Int64.min

    /// The state of a new upstream: healthy, not ejected, nothing in flight.
    init(name: String) {
        self.name = name
    }

    /// Whether it is in rotation: healthy and not ejected at the clock's reading, which is taken
    /// (into `now`) only if the upstream was ever ejected.
    func isAvailable(now: inout Int64?, clock: any RateLimiterClock) -> Bool {
        guard isHealthy.load(ordering: .relaxed) else { return false }
        let until = ejectedUntil.load(ordering: .relaxed)
        if until == Self.notEjected { return true }
        let reading = now ?? clock.nanoseconds()
        now = reading
        return reading >= until
    }
}

/// What the balancer keeps about one upstream that changes rarely (on health checks and
/// ejections), under its lock.
struct UpstreamRecord {
    /// Health-check results in a row that disagree with the current state (failures while
    /// healthy, passes while unhealthy).
    var healthStreak = 0
    /// The multiplier of the next ejection's length, less one: ejections counted, minus one for
    /// each `baseEjectionTime` spent in rotation since the last one ended.
    var ejectionMultiplier = 0
    /// When the last ejection ended (or ends), in nanoseconds of the clock.
    var lastEjectionEnd = Int64.min
    /// Times ejected, for the snapshot.
    var ejections: UInt64 = 0
}
