public import LokiPushCodec
public import WriteAheadSpool

/// Why a `LokiPushClient` did not accept entries. Once a push returns without an error its
/// entries are the client's: they are delivered, or dropped and counted with a
/// `LokiDropReason`.
public enum LokiPushError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `tryPush` found no room: accepting the entries would hold more than
    /// `maximumBufferedBytes` in memory.
    case bufferFull(bytes: Int, buffered: Int, maximum: Int)
    /// The entries alone are larger than `maximumBufferedBytes`, so they could never be accepted.
    case batchTooLarge(bytes: Int, maximum: Int)
    /// The spool has no room even after dropping every batch it may drop (those not in flight).
    case spoolFull(bytes: Int, maximum: Int)
    /// Writing to the spool failed; nothing of the push was accepted.
    case spool(SpoolError)
    /// The client is shutting down or has shut down.
    case shutDown
    /// The task that waited for room was cancelled; nothing of the push was accepted.
    case cancelled
    /// The configured URL is not an `http` or `https` URL with a host.
    case invalidURL(String)
    /// An entry given to `push(_:labels:tenant:)` cannot be sent to Loki.
    case invalidEntry(LokiEntryError)

    /// A one-line reason.
    public var description: String {
        switch self {
        case .bufferFull(let bytes, let buffered, let maximum):
            "Loki push buffer full: \(bytes) bytes do not fit beside \(buffered) of at most \(maximum)"
        case .batchTooLarge(let bytes, let maximum):
            "Loki push of \(bytes) bytes is larger than the buffer (\(maximum) bytes)"
        case .spoolFull(let bytes, let maximum):
            "Loki push spool full: no room for \(bytes) bytes within \(maximum)"
        case .spool(let error):
            "Loki push spool: \(error)"
        case .shutDown:
            "the Loki push client is shut down"
        case .cancelled:
            "the Loki push was cancelled while waiting for room"
        case .invalidURL(let url):
            "not an http(s) URL for Loki: \(url)"
        case .invalidEntry(let error):
            "not a Loki entry: \(error)"
        }
    }
}

/// Why the client gave up on entries it had accepted; the `reason` of
/// `loki_write_dropped_entries_total` and `loki_write_dropped_bytes_total`.
public enum LokiDropReason: String, Sendable, Hashable, CaseIterable {
    /// Loki still answered `429` after the last retry (or retries on `429` are off).
    case rateLimited = "rate_limited"
    /// Loki still failed (5xx, timeout, connection error) after the last retry.
    case ingesterError = "ingester_error"
    /// Loki refused the batch with a 4xx other than `429`: retrying cannot help. Loki's reason is logged.
    case rejected
    /// The spool was full and this batch was its oldest.
    case spoolFull = "spool_full"
    /// The client shut down before it could deliver a batch held only in memory.
    case shutdown
    /// A spooled batch could not be read back.
    case unreadableSpool = "unreadable_spool"
}
