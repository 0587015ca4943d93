/// The answer to a request the collector took.
public struct IngestReceipt: Sendable, Hashable {
    /// The status: 202 for a Faro payload (Alloy's), 200 for OTLP/HTTP.
    public var status: Int
    /// The body's `Content-Type`.
    public var contentType: String
    /// The body: `ok` for Faro, an empty export response for OTLP.
    public var body: String
    /// Faro items taken (logs, exceptions, measurements, events); 0 for OTLP.
    public var items: Int
    /// Whether the payload was dropped by session sampling (answered as taken).
    public var sampledOut: Bool

    /// Alloy's answer to a Faro payload: 202 `ok`.
    static func faro(items: Int, sampledOut: Bool) -> IngestReceipt {
        IngestReceipt(status: 202, contentType: "text/plain; charset=utf-8", body: "ok", items: items, sampledOut: sampledOut)
    }

    /// An empty OTLP export response, protobuf or JSON.
    static func otlp(json: Bool) -> IngestReceipt {
        IngestReceipt(
            status: 200, contentType: json ? "application/json" : "application/x-protobuf", body: json ? "{}" : "", items: 0,
            sampledOut: false)
    }
}
