import RUMGateway
import TestSupport
import Testing
import TokenBucket

/// A discrete-event simulation of the gateway in front of three upstreams, one five times slower
/// than the others, in simulated time only (no sleeping, no wall clock).
///
/// The model: 64 closed-loop clients each send a request, wait for its answer and send the next
/// at once. An upstream serves every request it has at the same time, without queueing, each in
/// its own service time: 1 ms on a fast upstream and 5 ms on the slow one, times a random factor
/// from 0.5 to 1.5 (seeded). So an upstream's load does not slow it down, and the only thing
/// the balancer can see is how many requests each upstream holds.
@Suite struct BalancerSimulationTests {
    /// The upstreams and their mean service times in microseconds.
    static let upstreams = [("fast-1:12347", 1_000), ("fast-2:12347", 1_000), ("slow:12347", 5_000)]

    /// A request in flight: when it completes, in simulated microseconds, and its lease.
    final class Request {
        let completion: Int64
        let lease: HeldLease

        init(completion: Int64, lease: consuming UpstreamLease) {
            self.completion = completion
            self.lease = HeldLease(lease)
        }
    }

    /// The share of `requests` requests that went to the slow upstream under `strategy`.
    static func slowShare(_ strategy: BalancingStrategy, clients: Int = 64, requests: Int = 30_000) throws -> Double {
        let clock = ManualRateLimiterClock()
        let balancer = try UpstreamBalancer(
            upstreams: upstreams.map(\.0), configuration: BalancerConfiguration(strategy: strategy),
            clock: clock, random: SeededRandomSource(seed: 2_024)
        )
        var service = SplitMix64(state: 99)
        var now: Int64 = 0
        var sent = 0
        var completed = 0
        var inFlight: [Request] = []

        /// Sends one request at `now`.
        func send() {
            let lease = balancer.pick()!
            let mean = upstreams.first { $0.0 == lease.upstream }!.1
            let time = Int64(mean / 2 + Int(service.next() % UInt64(mean)))
            inFlight.append(Request(completion: now + time, lease: lease))
            sent += 1
        }

        for _ in 0..<clients { send() }
        while completed < requests {
            var earliest = 0
            for index in inFlight.indices where inFlight[index].completion < inFlight[earliest].completion {
                earliest = index
            }
            let request = inFlight.swapRemoveAt(earliest)
            now = request.completion
            clock.advance(by: now * 1_000 - clock.nanoseconds())
            request.lease.finish(.success)
            completed += 1
            send()
        }
        for request in inFlight { request.lease.finish(.released) }
        let snapshot = balancer.snapshot()
        #expect(snapshot.allSatisfy { $0.outstanding == 0 })
        #expect(snapshot.reduce(0) { $0 + $1.picks } == UInt64(sent))
        return Double(snapshot[2].picks) / Double(sent)
    }

    @Test("a slow upstream gets proportionally less traffic with least outstanding than with round robin")
    func slowUpstreamGetsLess() throws {
        let roundRobin = try Self.slowShare(.roundRobin)
        let leastOutstanding = try Self.slowShare(.leastOutstanding)
        let percent = { (share: Double) in "\((share * 1_000).rounded() / 10) %" }
        print("slow upstream's share of requests: round robin \(percent(roundRobin)), least outstanding \(percent(leastOutstanding))")
        #expect(abs(roundRobin - 1.0 / 3) < 0.001)
        #expect(leastOutstanding < 0.6 * roundRobin)
    }
}

extension Array {
    /// Removes the element at `index` by moving the last one into its place: O(1), order lost.
    fileprivate mutating func swapRemoveAt(_ index: Int) -> Element {
        swapAt(index, count - 1)
        return removeLast()
    }
}
