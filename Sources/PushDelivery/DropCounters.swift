package import CoreMetrics

/// The counters of what a push client gave up, by reason: how many items (entries, export
/// requests) and their bytes, each counter labelled with the reason's raw value as `reason`.
package struct DropCounters<Reason: RawRepresentable & CaseIterable & Hashable & Sendable>: Sendable
where Reason.RawValue == String {
    private let items: [Reason: Counter]
    private let bytes: [Reason: Counter]

    /// The counters `itemsLabel` and `bytesLabel` for every reason, with `dimensions` besides
    /// `reason`.
    package init(itemsLabel: String, bytesLabel: String, dimensions: [(String, String)], factory: any MetricsFactory) {
        var items: [Reason: Counter] = [:]
        var bytes: [Reason: Counter] = [:]
        for reason in Reason.allCases {
            let labelled = dimensions + [("reason", reason.rawValue)]
            items[reason] = Counter(label: itemsLabel, dimensions: labelled, factory: factory)
            bytes[reason] = Counter(label: bytesLabel, dimensions: labelled, factory: factory)
        }
        self.items = items
        self.bytes = bytes
    }

    /// Counts `count` items of `bytes` bytes given up for `reason`.
    package func count(_ count: Int, bytes: Int, reason: Reason) {
        items[reason]?.increment(by: count)
        self.bytes[reason]?.increment(by: bytes)
    }
}
