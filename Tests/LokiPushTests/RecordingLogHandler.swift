import Logging
import Synchronization

/// What a `RecordingLogHandler` was given.
final class RecordedLogs: Sendable {
    /// One log call: its level, message and metadata (as strings).
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let recorded = Mutex<[Entry]>([])

    /// Every entry so far, in order.
    var entries: [Entry] { recorded.withLock { $0 } }

    /// Records an entry.
    func append(_ entry: Entry) { recorded.withLock { $0.append(entry) } }
}

/// A swift-log handler that keeps every entry, for tests that check what was logged.
struct RecordingLogHandler: LogHandler {
    let logs: RecordedLogs
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        logs.append(RecordedLogs.Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
    }
}
