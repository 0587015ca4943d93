import Synchronization
import TestSupport
import Testing
import TokenBucket

@testable import RUMGateway

@Suite struct UpstreamBalancerTests {
    static let names = ["10.0.0.1:12347", "10.0.0.2:12347", "10.0.0.3:12347"]

    /// A balancer over `names` with a manual clock and seeded draws.
    static func balancer(
        _ names: [String] = names, _ configuration: BalancerConfiguration = BalancerConfiguration(),
        clock: ManualRateLimiterClock = ManualRateLimiterClock(), seed: UInt64 = 7
    ) throws -> UpstreamBalancer {
        try UpstreamBalancer(upstreams: names, configuration: configuration, clock: clock, random: SeededRandomSource(seed: seed))
    }

    /// Sends `count` requests to `name` (by excluding every other upstream) ending in `outcome`.
    static func send(_ count: Int, to name: String, _ outcome: UpstreamOutcome, on balancer: UpstreamBalancer) {
        let others = balancer.upstreamNames.filter { $0 != name }
        for _ in 0..<count {
            #expect(balancer.pickAndFinish(outcome, excluding: others) == name)
        }
    }

    @Test("an empty or duplicated upstream list, a value out of range and an unknown upstream are typed errors")
    func errors() throws {
        #expect(throws: BalancerError.noUpstreams) { try UpstreamBalancer(upstreams: []) }
        #expect(throws: BalancerError.duplicateUpstream("a:1")) { try UpstreamBalancer(upstreams: ["a:1", "b:1", "a:1"]) }
        let invalid: [BalancerConfiguration] = [
            BalancerConfiguration(consecutiveFailures: 0), BalancerConfiguration(baseEjectionTime: .zero),
            BalancerConfiguration(baseEjectionTime: .seconds(60), maxEjectionTime: .seconds(30)),
            BalancerConfiguration(maxEjectionPercent: 101), BalancerConfiguration(maxEjectionPercent: -1),
            BalancerConfiguration(unhealthyThreshold: 0), BalancerConfiguration(healthyThreshold: 0),
        ]
        for configuration in invalid {
            #expect(throws: BalancerError.self) { try UpstreamBalancer(upstreams: ["a:1"], configuration: configuration) }
        }
        let balancer = try Self.balancer()
        #expect(throws: BalancerError.unknownUpstream("z:1")) { try balancer.recordHealthCheck(upstream: "z:1", healthy: false) }
        #expect(BalancerError.noUpstreams.description == "no upstreams to balance over")
    }

    @Test("the defaults are Envoy's")
    func defaults() {
        let configuration = BalancerConfiguration()
        #expect(configuration.strategy == .leastOutstanding)
        #expect(configuration.consecutiveFailures == 5)
        #expect(configuration.baseEjectionTime == .seconds(30))
        #expect(configuration.maxEjectionTime == .seconds(300))
        #expect(configuration.maxEjectionPercent == 50)
        #expect(configuration.unhealthyThreshold == 2)
        #expect(configuration.healthyThreshold == 2)
    }

    @Test("only notSent may be retried; failure and notSent count toward ejection")
    func outcomes() {
        #expect(UpstreamOutcome.notSent.mayRetry)
        #expect(!UpstreamOutcome.failure.mayRetry && !UpstreamOutcome.success.mayRetry && !UpstreamOutcome.released.mayRetry)
        #expect(UpstreamOutcome.failure.countsTowardEjection && UpstreamOutcome.notSent.countsTowardEjection)
        #expect(!UpstreamOutcome.success.countsTowardEjection && !UpstreamOutcome.released.countsTowardEjection)
    }

    @Test("round robin takes the available upstreams in turn")
    func roundRobin() throws {
        let balancer = try Self.balancer(Self.names, BalancerConfiguration(strategy: .roundRobin, unhealthyThreshold: 1))
        let picked = (0..<6).map { _ in balancer.pickAndFinish(.success)! }
        #expect(picked == Self.names + Self.names)
        try balancer.recordHealthCheck(upstream: Self.names[1], healthy: false)
        let rest = (0..<4).map { _ in balancer.pickAndFinish(.success)! }
        #expect(Set(rest) == [Self.names[0], Self.names[2]])
        #expect(rest[0] != rest[1] && rest[1] != rest[2] && rest[2] != rest[3])
    }

    @Test("least outstanding sends to the upstream with fewer requests in flight")
    func leastOutstandingPrefersTheIdle() throws {
        let balancer = try Self.balancer(Array(Self.names.prefix(2)))
        let held = balancer.pick(excluding: [Self.names[1]])!
        #expect(held.upstream == Self.names[0])
        for _ in 0..<100 {
            #expect(balancer.pickAndFinish(.success) == Self.names[1])
        }
        held.finish(.success)
        // Among three, the busiest never wins a draw: each pick is compared with another.
        let three = try Self.balancer()
        var leases = [String: Int]()
        let busy = (0..<2).map { _ in HeldLease(three.pick(excluding: [Self.names[1], Self.names[2]])) }
        for _ in 0..<300 { leases[three.pickAndFinish(.success)!, default: 0] += 1 }
        #expect(leases[Self.names[0]] == nil)
        #expect(leases[Self.names[1], default: 0] > 100 && leases[Self.names[2], default: 0] > 100)
        for held in busy { held.finish(.success) }
        #expect(three.snapshot().allSatisfy { $0.outstanding == 0 })
    }

    @Test("least outstanding breaks ties at random, evenly, and the same way for the same seed")
    func leastOutstandingTies() throws {
        func counts(seed: UInt64) throws -> [String: Int] {
            let balancer = try Self.balancer(Self.names, seed: seed)
            var counts = [String: Int]()
            for _ in 0..<3_000 { counts[balancer.pickAndFinish(.success)!, default: 0] += 1 }
            return counts
        }
        let first = try counts(seed: 42)
        #expect(try counts(seed: 42) == first)
        #expect(try counts(seed: 43) != first)
        for name in Self.names {
            #expect((850...1150).contains(first[name, default: 0]), "\(name): \(first[name, default: 0])")
        }
    }

    @Test("the default random source draws the same bits for the same seed, from any thread")
    func splitMixRandomSource() {
        let a = SplitMixRandomSource(seed: 1)
        let b = SplitMixRandomSource(seed: 1)
        var reference = SplitMix64(state: 1)
        let draws = (0..<100).map { _ in a.next() }
        #expect(draws == (0..<100).map { _ in b.next() })
        #expect(draws == (0..<100).map { _ in reference.next() })
        #expect(Set(draws).count == 100)
    }

    @Test("an upstream is ejected after consecutiveFailures failures in a row, and a success starts the run over")
    func ejection() throws {
        let clock = ManualRateLimiterClock()
        let balancer = try Self.balancer(Self.names, clock: clock)
        let name = Self.names[0]
        Self.send(4, to: name, .failure, on: balancer)
        Self.send(1, to: name, .success, on: balancer)
        Self.send(4, to: name, .notSent, on: balancer)
        #expect(balancer.snapshot(of: name)?.ejectedUntil == nil)
        clock.advance(by: .seconds(1))
        Self.send(1, to: name, .failure, on: balancer)
        let snapshot = try #require(balancer.snapshot(of: name))
        #expect(snapshot.ejectedUntil == 31_000_000_000)
        #expect(!snapshot.isAvailable && snapshot.isHealthy)
        #expect(snapshot.failures == 5 && snapshot.notSent == 4 && snapshot.ejections == 1 && snapshot.picks == 10)
        for _ in 0..<100 { #expect(balancer.pickAndFinish(.success) != name) }
        // Released leases are no verdict: they neither count nor reset.
        Self.send(10, to: Self.names[1], .released, on: balancer)
        #expect(balancer.snapshot(of: Self.names[1])?.failures == 0)
    }

    @Test("an ejected upstream returns to rotation once its ejection time has passed")
    func recovery() throws {
        let clock = ManualRateLimiterClock()
        let balancer = try Self.balancer(Self.names, clock: clock)
        let name = Self.names[2]
        Self.send(5, to: name, .failure, on: balancer)
        clock.advance(by: .seconds(29))
        #expect(!(0..<50).contains { _ in balancer.pickAndFinish(.success) == name })
        clock.advance(by: .seconds(1))
        #expect(balancer.snapshot(of: name)?.ejectedUntil == nil)
        #expect((0..<50).contains { _ in balancer.pickAndFinish(.success) == name })
    }

    @Test("each ejection lasts baseEjectionTime times the number of ejections, up to maxEjectionTime, and shrinks again in rotation")
    func ejectionBackoff() throws {
        let clock = ManualRateLimiterClock()
        let configuration = BalancerConfiguration(consecutiveFailures: 2, baseEjectionTime: .seconds(10), maxEjectionTime: .seconds(25))
        let balancer = try Self.balancer(Self.names, configuration, clock: clock)
        let name = Self.names[0]
        var lengths: [Int64] = []
        for _ in 0..<5 {
            let now = clock.nanoseconds()
            Self.send(2, to: name, .failure, on: balancer)
            let until = try #require(balancer.snapshot(of: name)?.ejectedUntil)
            lengths.append((until - now) / 1_000_000_000)
            clock.advance(by: until - clock.nanoseconds())
        }
        #expect(lengths == [10, 20, 25, 25, 25])
        // Each 10 s in rotation takes one off the multiplier (at most 3 here): after 20 s, the
        // next ejection lasts 10 s; after 30 s, 10 s.
        clock.advance(by: .seconds(20))
        Self.send(2, to: name, .failure, on: balancer)
        #expect(balancer.snapshot(of: name)?.ejectedUntil.map { $0 - clock.nanoseconds() } == 20_000_000_000)
        clock.advance(by: .seconds(20 + 30))
        Self.send(2, to: name, .failure, on: balancer)
        #expect(balancer.snapshot(of: name)?.ejectedUntil.map { $0 - clock.nanoseconds() } == 10_000_000_000)
        #expect(balancer.snapshot(of: name)?.ejections == 7)
    }

    @Test("failures of an upstream already ejected do not extend its ejection")
    func failuresWhileEjected() throws {
        let clock = ManualRateLimiterClock()
        let balancer = try Self.balancer(Self.names, clock: clock)
        let name = Self.names[1]
        let inFlight = (0..<5).map { _ in HeldLease(balancer.pick(excluding: [Self.names[0], Self.names[2]])) }
        Self.send(5, to: name, .failure, on: balancer)
        clock.advance(by: .seconds(10))
        for held in inFlight { held.finish(.failure) }
        let snapshot = try #require(balancer.snapshot(of: name))
        #expect(snapshot.ejectedUntil == 30_000_000_000 && snapshot.ejections == 1 && snapshot.outstanding == 0)
    }

    @Test("no more than maxEjectionPercent of the upstreams are ejected at once, and never all")
    func maxEjectionPercent() throws {
        let clock = ManualRateLimiterClock()
        let four = (1...4).map { "10.0.0.\($0):12347" }
        let balancer = try Self.balancer(four, clock: clock)
        for name in four { Self.send(5, to: name, .failure, on: balancer) }
        #expect(balancer.snapshot().map { $0.ejectedUntil != nil } == [true, true, false, false])
        // Upstreams past the limit keep their run: the next failure ejects once there is room.
        clock.advance(by: .seconds(30))
        Self.send(1, to: four[2], .failure, on: balancer)
        #expect(balancer.snapshot().map { $0.ejectedUntil != nil } == [false, false, true, false])

        let whole = try Self.balancer(Array(Self.names.prefix(2)), BalancerConfiguration(maxEjectionPercent: 100))
        for name in Self.names.prefix(2) { Self.send(5, to: name, .failure, on: whole) }
        #expect(whole.snapshot().count { $0.ejectedUntil != nil } == 1)

        let single = try Self.balancer(["10.0.0.9:12347"])
        Self.send(20, to: "10.0.0.9:12347", .failure, on: single)
        #expect(single.snapshot()[0].ejections == 0)

        let off = try Self.balancer(Self.names, BalancerConfiguration(maxEjectionPercent: 0))
        Self.send(20, to: Self.names[0], .failure, on: off)
        #expect(off.snapshot()[0].ejections == 0)
    }

    @Test("health checks: unhealthy after unhealthyThreshold failures in a row, healthy after healthyThreshold passes in a row")
    func healthChecks() throws {
        let balancer = try Self.balancer()
        let name = Self.names[0]
        #expect(balancer.snapshot().allSatisfy { $0.isHealthy })
        try balancer.recordHealthCheck(upstream: name, healthy: false)
        try balancer.recordHealthCheck(upstream: name, healthy: true)
        try balancer.recordHealthCheck(upstream: name, healthy: false)
        #expect(balancer.snapshot(of: name)?.isHealthy == true)
        try balancer.recordHealthCheck(upstream: name, healthy: false)
        #expect(balancer.snapshot(of: name)?.isHealthy == false)
        #expect(!(0..<50).contains { _ in balancer.pickAndFinish(.success) == name })
        try balancer.recordHealthCheck(upstream: name, healthy: true)
        try balancer.recordHealthCheck(upstream: name, healthy: false)
        try balancer.recordHealthCheck(upstream: name, healthy: true)
        #expect(balancer.snapshot(of: name)?.isHealthy == false)
        try balancer.recordHealthCheck(upstream: name, healthy: true)
        #expect(balancer.snapshot(of: name)?.isHealthy == true)
        #expect((0..<50).contains { _ in balancer.pickAndFinish(.success) == name })
    }

    @Test("with no upstream available, pick chooses among all of them and marks the lease as panic")
    func panicMode() throws {
        let clock = ManualRateLimiterClock()
        let balancer = try Self.balancer(Self.names, BalancerConfiguration(unhealthyThreshold: 1), clock: clock)
        let normal = balancer.pick()!
        let normalIsPanic = normal.isPanic
        #expect(!normalIsPanic)
        normal.finish(.success)
        Self.send(5, to: Self.names[0], .failure, on: balancer)
        try balancer.recordHealthCheck(upstream: Self.names[1], healthy: false)
        try balancer.recordHealthCheck(upstream: Self.names[2], healthy: false)
        var picked = Set<String>()
        for _ in 0..<60 {
            let lease = balancer.pick()!
            let isPanic = lease.isPanic
            #expect(isPanic)
            picked.insert(lease.upstream)
            lease.finish(.released)
        }
        #expect(picked == Set(Self.names))
        #expect(balancer.snapshot().reduce(0) { $0 + $1.panicPicks } == 60)
        try balancer.recordHealthCheck(upstream: Self.names[2], healthy: true)
        try balancer.recordHealthCheck(upstream: Self.names[2], healthy: true)
        let lease = balancer.pick()!
        let (isPanic, upstream) = (lease.isPanic, lease.upstream)
        #expect(!isPanic && upstream == Self.names[2])
    }

    @Test("pick(excluding:) never returns an excluded upstream, falls back to panic among the rest, and is nil when all are excluded")
    func retries() throws {
        let balancer = try Self.balancer()
        for _ in 0..<100 {
            let first = balancer.pick()!
            let tried = first.upstream
            first.finish(.notSent)
            let second = balancer.pick(excluding: [tried])!
            let (secondUpstream, secondIsPanic) = (second.upstream, second.isPanic)
            #expect(secondUpstream != tried && !secondIsPanic)
            let third = balancer.pick(excluding: [tried, secondUpstream])!
            let thirdUpstream = third.upstream
            #expect(![tried, secondUpstream].contains(thirdUpstream))
            second.finish(.success)
            third.finish(.success)
        }
        #expect(balancer.pick(excluding: Self.names)?.upstream == nil)
        try balancer.recordHealthCheck(upstream: Self.names[2], healthy: false)
        try balancer.recordHealthCheck(upstream: Self.names[2], healthy: false)
        let last = balancer.pick(excluding: [Self.names[0], Self.names[1]])!
        let (lastUpstream, lastIsPanic) = (last.upstream, last.isPanic)
        #expect(lastUpstream == Self.names[2] && lastIsPanic)
    }

    @Test("a lease ends exactly once: finish consumes it, a dropped lease is released, an emptied optional finishes nothing")
    func leaseEndsOnce() throws {
        let balancer = try Self.balancer()
        do {
            let lease = balancer.pick(excluding: [Self.names[1], Self.names[2]])!
            #expect(balancer.snapshot(of: Self.names[0])?.outstanding == 1)
            _ = lease.upstream
        }
        #expect(balancer.snapshot(of: Self.names[0])?.outstanding == 0)
        var held: UpstreamLease? = balancer.pick(excluding: [Self.names[1], Self.names[2]])
        #expect(balancer.snapshot(of: Self.names[0])?.outstanding == 1)
        held.take()?.finish(.failure)
        held.take()?.finish(.failure)
        let snapshot = try #require(balancer.snapshot(of: Self.names[0]))
        #expect(snapshot.outstanding == 0 && snapshot.failures == 1 && snapshot.picks == 2)
    }

    @Test("pick and finish from many threads at once leave every outstanding count at zero")
    func concurrentUse() async throws {
        for strategy in [BalancingStrategy.leastOutstanding, .roundRobin] {
            let balancer = try UpstreamBalancer(
                upstreams: (1...5).map { "10.0.0.\($0):12347" },
                configuration: BalancerConfiguration(strategy: strategy, consecutiveFailures: 3, baseEjectionTime: .milliseconds(1))
            )
            await withTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        var generator = SplitMix64(state: UInt64(task))
                        for round in 0..<5_000 {
                            let lease = balancer.pick()!
                            if round % 50 == 0 {
                                try? balancer.recordHealthCheck(upstream: lease.upstream, healthy: generator.chance(50))
                            }
                            let outcomes: [UpstreamOutcome] = [.success, .success, .failure, .notSent, .released]
                            lease.finish(generator.pick(outcomes))
                        }
                    }
                }
            }
            let snapshot = balancer.snapshot()
            #expect(snapshot.allSatisfy { $0.outstanding == 0 }, "\(strategy)")
            #expect(snapshot.reduce(0) { $0 + $1.picks } == 40_000)
        }
    }
}
