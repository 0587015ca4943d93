extension Duration {
    /// The duration in whole nanoseconds (truncated), saturating at the ends of `Int64`: how
    /// limiters count time, and what timers, NIO's `TimeAmount` and PushDelivery's backoff
    /// arithmetic count; for the modules of this package.
    package var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflowAgain) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflowAgain ? (seconds < 0 ? .min : .max) : sum
    }
}
