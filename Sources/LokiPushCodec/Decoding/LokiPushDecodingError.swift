public import ProtobufWire
public import Snappy

/// Why a push request could not be decoded, and where.
public struct LokiPushDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        /// The body is not a valid Snappy block (its offset is `offset`, in the body).
        case snappy(SnappyError)
        /// The bytes are not valid protobuf, or a field has another wire type than the schema's.
        case protobuf(ProtobufWireError.Reason)
        /// A stream's `labels` do not parse (the error's own offset counts from the start of the
        /// labels; `offset` is where they start).
        case labels(LokiLabelError)
        /// A line or a structured metadata name or value is not valid UTF-8 (`offset` is the first
        /// byte of the ill-formed sequence).
        case invalidUTF8
        /// A structured metadata name that is not `[a-zA-Z_][a-zA-Z0-9_]*`.
        case invalidMetadataName(String)
        /// A timestamp Loki rejects: nanoseconds outside 0 to 999,999,999 or a time outside the
        /// years 1 to 9999.
        case timestampOutOfRange(seconds: Int64, nanoseconds: Int32)
    }

    /// What was wrong.
    public var reason: Reason
    /// The byte offset where it went wrong: in the compressed body for `.snappy`, in the
    /// uncompressed `PushRequest` otherwise.
    public var offset: Int

    /// An error.
    public init(_ reason: Reason, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// `loki push request: offset 12: ...`.
    public var description: String { "loki push request: offset \(offset): \(reason)" }
}
