public import Tracing

extension InstrumentationContext {
    /// `<meta name="traceparent" content="00-…">` for the span context here (the current span's,
    /// in a request handler under `RUMTracingMiddleware`), to render into the `<head>` of a
    /// server-rendered page so that the browser's telemetry continues the trace that rendered it;
    /// the empty string when there is no span context. The value has only hex digits and dashes,
    /// so it needs no HTML escaping.
    public var traceparentMeta: String {
        guard let spanContext = rumSpanContext else { return "" }
        return "<meta name=\"traceparent\" content=\"\(spanContext.traceparent)\">"
    }
}
