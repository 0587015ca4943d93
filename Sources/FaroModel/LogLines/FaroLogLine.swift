/// The format of the log lines Alloy writes for Faro items (`log_format`).
public enum FaroLogFormat: String, Sendable, Hashable, CaseIterable {
    /// `key=value` pairs, the default.
    case logfmt
    /// One JSON object, keys sorted.
    case json
}

/// Which kind of payload item a log line is for; also the line's `kind` value.
public enum FaroItemKind: String, Sendable, Hashable, CaseIterable {
    /// A log message.
    case log
    /// An exception.
    case exception
    /// A measurement.
    case measurement
    /// An event.
    case event
}

/// One log line that `FaroLogLineEncoder` wrote: where its bytes and its stream labels lie
/// in the caller's buffer, and which item it came from.
public struct FaroLogLine: Sendable, Hashable {
    /// The kind of item.
    public var kind: FaroItemKind
    /// The item's index in its array of the payload (`logs`, `exceptions`, ...).
    public var index: Int
    /// The item's timestamp.
    public var timestamp: FaroTimestamp
    /// Where the line lies in the buffer (no newline).
    public var line: Range<Int>
    /// Where the stream label set lies in the buffer, as Loki and Prometheus write it: `{kind="log"}`.
    public var labels: Range<Int>

    /// Creates a line record.
    public init(kind: FaroItemKind, index: Int, timestamp: FaroTimestamp, line: Range<Int>, labels: Range<Int>) {
        self.kind = kind
        self.index = index
        self.timestamp = timestamp
        self.line = line
        self.labels = labels
    }
}
