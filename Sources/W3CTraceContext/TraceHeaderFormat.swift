/// A way of carrying a trace context in header fields.
public enum TraceHeaderFormat: String, Hashable, Sendable, Codable, CaseIterable {
    /// W3C Trace Context: `traceparent` and `tracestate`.
    case w3c
    /// B3's single header `b3`.
    case b3Single = "b3-single"
    /// B3's multiple headers `x-b3-traceid`, `x-b3-spanid`, `x-b3-parentspanid`, `x-b3-sampled`
    /// and `x-b3-flags`.
    case b3Multiple = "b3-multiple"
    /// Jaeger's `uber-trace-id`.
    case jaeger
}
