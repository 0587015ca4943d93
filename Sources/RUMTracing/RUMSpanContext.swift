public import Tracing
public import W3CTraceContext

/// The identity of a span as `RUMTracer` keeps it in an `InstrumentationContext`: its trace
/// context (trace id, span id, flags, `tracestate`) and whether it came from another process.
///
/// The tracer reads the parent of a new span from here, and `inject` writes it into outgoing
/// requests; `traceparentMeta` renders it into server-rendered pages.
public struct RUMSpanContext: Hashable, Sendable {
    /// The trace id, span id, flags and `tracestate`.
    public var traceContext: TraceContext
    /// Whether the context was received from another process (extracted from headers) rather
    /// than made by a span of this one.
    public var isRemote: Bool

    /// A span context from its parts.
    public init(_ traceContext: TraceContext, isRemote: Bool) {
        self.traceContext = traceContext
        self.isRemote = isRemote
    }

    /// The `traceparent` header value of the context (version `00`).
    public var traceparent: String { traceContext.traceparent.headerValue }
}

/// The key of the span context in an `InstrumentationContext`.
enum RUMSpanContextKey: InstrumentationContextKey {
    typealias Value = RUMSpanContext
    static var nameOverride: String? { "rum-span-context" }
}

/// The key of a context that the propagation policy replaced by a new trace (`restart`): the
/// first span started under it starts that new trace and links to the context received.
enum RUMRestartedContextKey: InstrumentationContextKey {
    typealias Value = TraceContext
    static var nameOverride: String? { "rum-restarted-context" }
}

extension InstrumentationContext {
    /// The span context `RUMTracer` keeps here: the current span's, or one extracted from a
    /// request's headers.
    public var rumSpanContext: RUMSpanContext? {
        get { self[RUMSpanContextKey.self] }
        set { self[RUMSpanContextKey.self] = newValue }
    }

    /// The incoming trace context that the propagation policy restarted, to be linked from the
    /// next span started under this context.
    var restartedTraceContext: TraceContext? {
        get { self[RUMRestartedContextKey.self] }
        set { self[RUMRestartedContextKey.self] = newValue }
    }
}
