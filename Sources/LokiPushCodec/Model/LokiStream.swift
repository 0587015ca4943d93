/// A stream: a label set and its entries, in the order they were appended.
public struct LokiStream: Sendable, Hashable {
    /// The stream's labels.
    public var labels: LokiLabels
    /// The entries, in append order.
    public var entries: [LokiEntry]

    /// A stream.
    public init(labels: LokiLabels, entries: [LokiEntry] = []) {
        self.labels = labels
        self.entries = entries
    }
}
