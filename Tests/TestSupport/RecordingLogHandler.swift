public import Logging
import Synchronization

/// What a `RecordingLogHandler` was given.
public final class RecordedLogs: Sendable {
    /// One log call: its level, message and metadata (as strings).
    public struct Entry: Sendable {
        /// The entry's level.
        public let level: Logger.Level
        /// The entry's message.
        public let message: String
        /// The entry's metadata, each value as a string.
        public let metadata: [String: String]
    }

    private let recorded = Mutex<[Entry]>([])

    /// No entries yet.
    public init() {}

    /// Every entry so far, in order.
    public var entries: [Entry] { recorded.withLock { $0 } }

    /// Records an entry.
    public func append(_ entry: Entry) { recorded.withLock { $0.append(entry) } }
}

/// A swift-log handler that keeps every entry, for tests that check what was logged.
public struct RecordingLogHandler: LogHandler {
    /// Where the entries go.
    public let logs: RecordedLogs
    /// The level from which entries are kept: all of them by default.
    public var logLevel: Logger.Level = .trace
    /// Metadata added to every entry.
    public var metadata: Logger.Metadata = [:]

    /// A handler keeping its entries in `logs`.
    public init(logs: RecordedLogs) {
        self.logs = logs
    }

    /// The handler's metadata value for `key`.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Keeps `event` as an entry.
    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        logs.append(RecordedLogs.Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
    }
}
