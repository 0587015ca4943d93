/// One log entry of a stream: its time, its line and its structured metadata.
public struct LokiEntry: Sendable, Hashable {
    /// When the entry happened.
    public var timestamp: LokiTimestamp
    /// The log line.
    public var line: String
    /// Structured metadata: pairs kept beside the line but not indexed as stream labels, in
    /// the order they were given.
    public var structuredMetadata: [LokiLabelPair]

    /// An entry.
    public init(timestamp: LokiTimestamp, line: String, structuredMetadata: [LokiLabelPair] = []) {
        self.timestamp = timestamp
        self.line = line
        self.structuredMetadata = structuredMetadata
    }
}
