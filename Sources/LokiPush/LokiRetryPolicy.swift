/// The delays between attempts at one batch: exponential backoff with jitter, and Loki's
/// `Retry-After` when it sends one.
struct LokiRetryPolicy: Sendable {
    /// The delay before the first retry.
    let minimumBackoff: Duration
    /// The cap on every delay.
    let maximumBackoff: Duration

    /// The delay before retry number `retry` (1 for the first): `minimumBackoff` doubled
    /// `retry - 1` times and capped at `maximumBackoff`, then drawn uniformly from its upper half
    /// so that clients that failed together do not retry together. A `Retry-After` longer than
    /// that is honoured, up to `maximumBackoff`.
    func delay(
        beforeRetry retry: Int, retryAfter: Duration?, using generator: inout some RandomNumberGenerator
    ) -> Duration {
        let minimum = max(minimumBackoff.nanoseconds, 1)
        let maximum = max(maximumBackoff.nanoseconds, minimum)
        let doublings = min(max(retry - 1, 0), 62)
        let (scaled, overflow) = minimum.multipliedReportingOverflow(by: Int64(1) << doublings)
        let ceiling = overflow ? maximum : min(scaled, maximum)
        let jittered = ceiling / 2 + Int64.random(in: 0...(ceiling - ceiling / 2), using: &generator)
        let wanted = max(jittered, retryAfter?.nanoseconds ?? 0)
        return .nanoseconds(min(wanted, maximum))
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64.max`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? (seconds < 0 ? .min : .max) : sum
    }
}
