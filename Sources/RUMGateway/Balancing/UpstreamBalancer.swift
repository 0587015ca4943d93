public import TokenBucket
import Synchronization

/// The load balancer over the upstream collectors of one tenant: picks an upstream per request,
/// counts requests in flight, ejects upstreams that fail in a row and takes active health-check
/// results. Safe to use from many threads at once: `pick` and `finish` touch only atomics
/// (no lock, no allocation); ejection and health state, which change rarely, are under a lock.
///
/// An upstream is *available* when it is healthy and not ejected; `pick` chooses among the
/// available upstreams by the configured strategy. When none is available it chooses among all of
/// them (Envoy's panic mode) and says so in the lease (`isPanic`): sending to an upstream that may
/// be down gives the request a chance, where refusing it would fail every request until an
/// upstream recovers, and it is the health checks and ejections that are more likely wrong when
/// they condemn every upstream at once.
///
/// Passive ejection (Envoy's outlier detection on consecutive 5xx): after
/// `consecutiveFailures` failures in a row an upstream is ejected for `baseEjectionTime` times
/// its ejection multiplier, at most `maxEjectionTime`. The multiplier grows by one with each
/// ejection and shrinks by one for each `baseEjectionTime` the upstream then spends in rotation,
/// so that an upstream that keeps failing stays out longer and one that recovered starts over.
/// An ejection ends when its time has passed, checked on the next pick; no timer runs. At most
/// `maxEjectionPercent` of the upstreams (rounded down, and never all) are ejected at once: past
/// that an upstream keeps its run of failures and is ejected on a later failure once another
/// one is back.
///
/// Active health checks are sent by the gateway, which reports each result with
/// `recordHealthCheck(upstream:healthy:)`. Health and ejection are independent: an upstream is
/// available only when both allow it.
///
/// ```swift
/// let balancer = try UpstreamBalancer(upstreams: ["127.0.0.1:12347", "127.0.0.1:12348"])
/// guard let lease = balancer.pick() else { return badGateway }
/// // ... proxy the request to lease.upstream ...
/// lease.finish(status >= 500 ? .failure : .success)
/// ```
public final class UpstreamBalancer: Sendable {
    /// The configuration it was built with.
    public let configuration: BalancerConfiguration
    /// The upstreams, in the order given.
    private let upstreams: [UpstreamState]
    /// Ejection and health state, by position.
    private let records: Mutex<[UpstreamRecord]>
    /// The clock ejections are timed by.
    private let clock: any RateLimiterClock
    /// The random bits for `leastOutstanding`'s draws.
    private let random: any BalancerRandomSource
    /// The number of picks made by `roundRobin`, whose remainder chooses the next upstream.
    private let turn = Atomic<UInt>(0)
    /// `baseEjectionTime` in nanoseconds.
    private let baseEjectionNanoseconds: Int64
    /// `maxEjectionTime` in nanoseconds.
    private let maxEjectionNanoseconds: Int64
    /// The largest ejection multiplier: the first at which an ejection lasts `maxEjectionTime`.
    private let maxEjectionMultiplier: Int
    /// The most upstreams ejected at once.
    private let maxEjected: Int

    /// A balancer over `upstreams` (names such as `127.0.0.1:12347`), all healthy and in
    /// rotation. Throws `noUpstreams` for an empty list, `duplicateUpstream` for a name listed
    /// twice and `invalidConfiguration` for a value out of range.
    public init(
        upstreams names: [String],
        configuration: BalancerConfiguration = BalancerConfiguration(),
        clock: any RateLimiterClock = SystemRateLimiterClock(),
        random: any BalancerRandomSource = SplitMixRandomSource()
    ) throws(BalancerError) {
        guard !names.isEmpty else { throw .noUpstreams }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted { throw .duplicateUpstream(name) }
        try configuration.validate()
        self.configuration = configuration
        upstreams = names.map(UpstreamState.init(name:))
        records = Mutex(Array(repeating: UpstreamRecord(), count: names.count))
        self.clock = clock
        self.random = random
        baseEjectionNanoseconds = configuration.baseEjectionTime.nanoseconds
        maxEjectionNanoseconds = configuration.maxEjectionTime.nanoseconds
        let (quotient, remainder) = maxEjectionNanoseconds.quotientAndRemainder(dividingBy: baseEjectionNanoseconds)
        maxEjectionMultiplier = Int(quotient) + (remainder == 0 ? 0 : 1)
        maxEjected = min(names.count * configuration.maxEjectionPercent / 100, names.count - 1)
    }

    /// The upstreams' names, in the order given.
    public var upstreamNames: [String] { upstreams.map(\.name) }

    /// Picks an upstream for a request and counts it in flight until the lease ends. The
    /// upstream is available and not named in `excluded` (the upstreams a retry already tried);
    /// when no such upstream is available, it is any upstream not excluded, and the lease is
    /// marked `isPanic`. Nil only when every upstream is excluded.
    public func pick(excluding excluded: [String] = []) -> UpstreamLease? {
        let count = upstreams.count
        // The candidates' positions, on the stack for any list of upstreams of a sane length.
        let chosen = withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { candidates -> (index: Int, isPanic: Bool)? in
            var now: Int64? = nil
            var found = 0
            for index in 0..<count where excluded.isEmpty || !excluded.contains(upstreams[index].name) {
                if upstreams[index].isAvailable(now: &now, clock: clock) {
                    candidates[found] = index
                    found += 1
                }
            }
            if found > 0 { return (choose(among: UnsafeBufferPointer(rebasing: candidates[..<found])), false) }
            for index in 0..<count where excluded.isEmpty || !excluded.contains(upstreams[index].name) {
                candidates[found] = index
                found += 1
            }
            guard found > 0 else { return nil }
            return (choose(among: UnsafeBufferPointer(rebasing: candidates[..<found])), true)
        }
        guard let chosen else { return nil }
        let upstream = upstreams[chosen.index]
        upstream.outstanding.add(1, ordering: .relaxed)
        upstream.picks.add(1, ordering: .relaxed)
        if chosen.isPanic { upstream.panicPicks.add(1, ordering: .relaxed) }
        return UpstreamLease(balancer: self, index: chosen.index, upstream: upstream.name, isPanic: chosen.isPanic)
    }

    /// One of `candidates` (positions in `upstreams`, at least one) by the configured strategy.
    private func choose(among candidates: UnsafeBufferPointer<Int>) -> Int {
        switch configuration.strategy {
        case .roundRobin:
            return candidates[Int(turn.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(candidates.count))]
        case .leastOutstanding:
            let count = UInt64(candidates.count)
            guard count > 1 else { return candidates[0] }
            // Two different positions from one draw: 32 bits each, scaled to the range.
            let bits = random.next()
            let first = Int(((bits >> 32) &* count) >> 32)
            var second = Int(((bits & 0xFFFF_FFFF) &* (count - 1)) >> 32)
            if second >= first { second += 1 }
            let a = upstreams[candidates[first]].outstanding.load(ordering: .relaxed)
            let b = upstreams[candidates[second]].outstanding.load(ordering: .relaxed)
            if a != b { return candidates[a < b ? first : second] }
            return candidates[random.next() & 1 == 0 ? first : second]
        }
    }

    /// Records how a lease on the upstream at `index` ended: it is no longer in flight, and a
    /// success or failure moves its run of consecutive failures.
    func record(_ outcome: UpstreamOutcome, upstream index: Int) {
        let upstream = upstreams[index]
        upstream.outstanding.subtract(1, ordering: .relaxed)
        switch outcome {
        case .success:
            if upstream.consecutiveFailures.load(ordering: .relaxed) != 0 {
                upstream.consecutiveFailures.store(0, ordering: .relaxed)
            }
        case .failure, .notSent:
            if outcome == .failure {
                upstream.failures.add(1, ordering: .relaxed)
            } else {
                upstream.notSent.add(1, ordering: .relaxed)
            }
            if upstream.consecutiveFailures.add(1, ordering: .relaxed).newValue >= configuration.consecutiveFailures {
                considerEjection(index)
            }
        case .released:
            break
        }
    }

    /// Ejects the upstream at `index`, which has just reached `consecutiveFailures`, unless it
    /// is already ejected (its run then starts over) or as many upstreams as allowed already are.
    private func considerEjection(_ index: Int) {
        let now = clock.nanoseconds()
        records.withLock { records in
            let upstream = upstreams[index]
            guard upstream.consecutiveFailures.load(ordering: .relaxed) >= configuration.consecutiveFailures else { return }
            guard upstream.ejectedUntil.load(ordering: .relaxed) <= now else {
                upstream.consecutiveFailures.store(0, ordering: .relaxed)
                return
            }
            let ejected = upstreams.count { $0.ejectedUntil.load(ordering: .relaxed) > now }
            guard ejected < maxEjected else { return }
            var record = records[index]
            if record.ejectionMultiplier > 0 {
                let periodsInRotation = (now - record.lastEjectionEnd) / baseEjectionNanoseconds
                record.ejectionMultiplier = Int(max(0, Int64(record.ejectionMultiplier) - periodsInRotation))
            }
            record.ejectionMultiplier = min(record.ejectionMultiplier + 1, maxEjectionMultiplier)
            let (product, tooLong) = baseEjectionNanoseconds.multipliedReportingOverflow(by: Int64(record.ejectionMultiplier))
            let length = tooLong ? maxEjectionNanoseconds : min(product, maxEjectionNanoseconds)
            let (until, overflow) = now.addingReportingOverflow(length)
            record.lastEjectionEnd = overflow ? .max : until
            record.ejections += 1
            records[index] = record
            upstream.ejectedUntil.store(record.lastEjectionEnd, ordering: .relaxed)
            upstream.consecutiveFailures.store(0, ordering: .relaxed)
        }
    }

    /// Takes the result of an active health check of `upstream`: it turns unhealthy after
    /// `unhealthyThreshold` failed checks in a row and healthy again after `healthyThreshold`
    /// passed ones in a row. Throws `unknownUpstream` for a name not in the list.
    public func recordHealthCheck(upstream name: String, healthy: Bool) throws(BalancerError) {
        guard let index = upstreams.firstIndex(where: { $0.name == name }) else { throw .unknownUpstream(name) }
        let upstream = upstreams[index]
        records.withLock { records in
            let isHealthy = upstream.isHealthy.load(ordering: .relaxed)
            guard healthy != isHealthy else {
                records[index].healthStreak = 0
                return
            }
            records[index].healthStreak += 1
            let threshold = isHealthy ? configuration.unhealthyThreshold : configuration.healthyThreshold
            if records[index].healthStreak >= threshold {
                records[index].healthStreak = 0
                upstream.isHealthy.store(healthy, ordering: .relaxed)
            }
        }
    }

    /// Every upstream's state now, in the order given.
    public func snapshot() -> [UpstreamSnapshot] {
        let now = clock.nanoseconds()
        let ejections = records.withLock { $0.map(\.ejections) }
        return upstreams.indices.map { index in
            let upstream = upstreams[index]
            let until = upstream.ejectedUntil.load(ordering: .relaxed)
            return UpstreamSnapshot(
                name: upstream.name,
                outstanding: upstream.outstanding.load(ordering: .relaxed),
                isHealthy: upstream.isHealthy.load(ordering: .relaxed),
                ejectedUntil: until > now ? until : nil,
                picks: upstream.picks.load(ordering: .relaxed),
                panicPicks: upstream.panicPicks.load(ordering: .relaxed),
                failures: upstream.failures.load(ordering: .relaxed),
                notSent: upstream.notSent.load(ordering: .relaxed),
                ejections: ejections[index]
            )
        }
    }
}
