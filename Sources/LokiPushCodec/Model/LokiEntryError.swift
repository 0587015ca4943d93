/// Why an entry cannot go into a batch.
public enum LokiEntryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line is not valid UTF-8; `offset` is the first byte of the ill-formed sequence.
    case invalidUTF8(offset: Int)
    /// The timestamp is outside the years 1 to 9999, which Loki rejects.
    case timestampOutOfRange(LokiTimestamp)
    /// A structured metadata name is not `[a-zA-Z_][a-zA-Z0-9_]*`.
    case invalidMetadataName(String)
    /// A structured metadata value is not valid UTF-8 (only raw bytes can be); `offset` is
    /// the first byte of the ill-formed sequence in the value.
    case invalidMetadataUTF8(offset: Int)

    /// A one-line description.
    public var description: String {
        switch self {
        case .invalidUTF8(let offset): "loki entry: line is not valid UTF-8 at byte \(offset)"
        case .timestampOutOfRange(let timestamp):
            "loki entry: timestamp \(timestamp.seconds)s \(timestamp.nanoseconds)ns is outside the years 1 to 9999"
        case .invalidMetadataName(let name): "loki entry: invalid structured metadata name \"\(name)\""
        case .invalidMetadataUTF8(let offset): "loki entry: structured metadata value is not valid UTF-8 at byte \(offset)"
        }
    }
}
