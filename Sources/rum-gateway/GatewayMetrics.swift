import Synchronization

/// The gateway's own counters, kept in atomics and written in the exposition at scrape time, so
/// that a request costs a few atomic additions and no metric look-up.
final class GatewayMetrics: Sendable {
    /// Answers by class.
    private let informational = Atomic<Int>(0)
    private let successful = Atomic<Int>(0)
    private let redirection = Atomic<Int>(0)
    private let clientError = Atomic<Int>(0)
    private let serverError = Atomic<Int>(0)
    /// Answers written by the gateway itself, by reason.
    private let edge = Mutex<[String: Int]>([:])
    /// Requests retried on another upstream because they could not be sent.
    let retries = Atomic<Int>(0)
    /// Upstream answers that did not come in time.
    let upstreamTimeouts = Atomic<Int>(0)
    /// Reloads of the tenants file refused for its problems: the running tenants stayed.
    let tenantsReloadFailures = Atomic<Int>(0)

    /// Counts an answer with `status`.
    func answered(status: Int) {
        switch status / 100 {
        case 1: informational.wrappingAdd(1, ordering: .relaxed)
        case 2: successful.wrappingAdd(1, ordering: .relaxed)
        case 3: redirection.wrappingAdd(1, ordering: .relaxed)
        case 4: clientError.wrappingAdd(1, ordering: .relaxed)
        default: serverError.wrappingAdd(1, ordering: .relaxed)
        }
    }

    /// Counts an answer the gateway gave itself for `reason` (a small fixed set of labels).
    func answeredAtEdge(reason: String) {
        edge.withLock { $0[reason, default: 0] += 1 }
    }

    /// The counts of answers by class, `("2xx", n)`.
    var answerCounts: [(String, Int)] {
        [
            ("1xx", informational.load(ordering: .relaxed)), ("2xx", successful.load(ordering: .relaxed)),
            ("3xx", redirection.load(ordering: .relaxed)), ("4xx", clientError.load(ordering: .relaxed)),
            ("5xx", serverError.load(ordering: .relaxed)),
        ]
    }

    /// The counts of edge answers by reason, sorted.
    var edgeCounts: [(String, Int)] { edge.withLock { $0.sorted { $0.key < $1.key } } }
}
