import RUMGateway
import Synchronization
import TestSupport

/// TestSupport's seeded `SplitMix64` behind a lock, as the balancer's random source: the same
/// draws on every run.
final class SeededRandomSource: BalancerRandomSource {
    /// The generator.
    private let generator: Mutex<SplitMix64>

    /// A source starting from `seed`.
    init(seed: UInt64) { generator = Mutex(SplitMix64(state: seed)) }

    /// The generator's next 64 bits.
    func next() -> UInt64 { generator.withLock { $0.next() } }
}

extension UpstreamBalancer {
    /// The snapshot of the upstream named `name`.
    func snapshot(of name: String) -> UpstreamSnapshot? { snapshot().first { $0.name == name } }

    /// Picks once and ends the lease with `outcome`, returning the upstream picked.
    @discardableResult
    func pickAndFinish(_ outcome: UpstreamOutcome, excluding excluded: [String] = []) -> String? {
        guard let lease = pick(excluding: excluded) else { return nil }
        let upstream = lease.upstream
        lease.finish(outcome)
        return upstream
    }
}

/// A lease kept for later: leases are noncopyable, so collections hold them in boxes.
final class HeldLease {
    /// The lease, until taken.
    var lease: UpstreamLease?

    /// Holds `lease`.
    init(_ lease: consuming UpstreamLease?) { self.lease = lease }

    /// Ends the lease with `outcome`, if not ended yet.
    func finish(_ outcome: UpstreamOutcome) { lease.take()?.finish(outcome) }
}
