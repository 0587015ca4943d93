extension TraceContext {
    /// The header fields that carry this context in `format`, with lowercase names; none when the
    /// trace id or span id is all zeros, as OpenTelemetry's propagators inject nothing then.
    ///
    /// - `.w3c`: `traceparent` (version `00`), and `tracestate` unless it is empty.
    /// - `.b3Single`: `b3` with the sampling state (`d` for a debug context) and the parent span id.
    /// - `.b3Multiple`: `x-b3-traceid`, `x-b3-spanid`, `x-b3-parentspanid` when there is a parent,
    ///   and `x-b3-sampled`, or `x-b3-flags: 1` alone for a debug context.
    /// - `.jaeger`: `uber-trace-id`.
    ///
    /// Only W3C Trace Context carries `tracestate`; only B3 and Jaeger carry the parent span id.
    public func headerFields(in format: TraceHeaderFormat) -> [(name: String, value: String)] {
        guard traceID.isValid, spanID.isValid else { return [] }
        switch format {
        case .w3c:
            let parent = (name: TraceHeaderName.traceparent.rawValue, value: traceparent.headerValue)
            return traceState.isEmpty ? [parent] : [parent, (TraceHeaderName.tracestate.rawValue, traceState.headerValue)]
        case .b3Single:
            return [(TraceHeaderName.b3.rawValue, B3Propagation.context(B3Context(self)).singleHeaderValue)]
        case .b3Multiple:
            return B3Propagation.context(B3Context(self)).multipleHeaderFields
        case .jaeger:
            return [(TraceHeaderName.uberTraceID.rawValue, uberTraceID.headerValue)]
        }
    }
}
