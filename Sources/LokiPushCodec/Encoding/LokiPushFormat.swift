/// The body formats of Loki's `POST /loki/api/v1/push`.
public enum LokiPushFormat: String, Sendable, Hashable, CaseIterable {
    /// A Snappy-compressed (block format, unframed) protobuf `PushRequest`, what Promtail and
    /// Alloy send.
    case protobuf
    /// JSON, `{"streams":[{"stream":{...},"values":[["<ns>","<line>"]]}]}`, optionally gzipped.
    case json

    /// The `Content-Type` header of a body in this format.
    public var contentType: String {
        switch self {
        case .protobuf: "application/x-protobuf"
        case .json: "application/json"
        }
    }
}
