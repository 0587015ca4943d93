import NIOConcurrencyHelpers
import OTLPCodec
public import Tracing
import W3CTraceContext

/// A span of `RUMTracer`: what swift-distributed-tracing's `Span` records, kept under a lock until
/// `end()`, which encodes the span as an OTLP `Span` message straight into its processor's queue.
///
/// A span that the sampler dropped is not recording: it carries its context for propagation and
/// ignores everything else. A span recorded but not sampled (`recordOnly`) records and is not
/// exported. Changes after `end()` are ignored, as OpenTelemetry specifies.
public final class RUMSpan: Span, @unchecked Sendable {
    /// The context of the span: its parent's context with this span's `RUMSpanContext`.
    public let context: InstrumentationContext
    /// This span's trace id, span id, flags and `tracestate`.
    public let spanContext: RUMSpanContext
    /// The span's kind.
    public let kind: SpanKind
    /// Whether the span records what is set on it.
    public let isRecording: Bool
    /// The span that this one is a child of, and whether that one came from another process.
    private let parent: (spanID: SpanID, isRemote: Bool)?
    private let startTimeUnixNano: UInt64
    /// Where the span goes when it ends; `nil` when it is not sampled.
    private let processor: BatchSpanProcessor?

    // Guarded by `lock`.
    private let lock = NIOLock()
    private var name: String
    private var recordedAttributes = SpanAttributes()
    private var events: [SpanEvent] = []
    private var links: [SpanLink] = []
    private var status: SpanStatus? = nil
    private var hasEnded = false

    init(
        operationName: String, kind: SpanKind, context: InstrumentationContext, spanContext: RUMSpanContext,
        parent: (spanID: SpanID, isRemote: Bool)?, startTimeUnixNano: UInt64, isRecording: Bool, processor: BatchSpanProcessor?
    ) {
        self.name = operationName
        self.kind = kind
        self.context = context
        self.spanContext = spanContext
        self.parent = parent
        self.startTimeUnixNano = startTimeUnixNano
        self.isRecording = isRecording
        self.processor = processor
    }

    /// The span's name.
    public var operationName: String {
        get { lock.withLock { name } }
        set { lock.withLock { if isRecording, !hasEnded { name = newValue } } }
    }

    /// The span's attributes. Changing one in place (`span.attributes["key"] = value`) does not
    /// copy the others.
    public var attributes: SpanAttributes {
        get { lock.withLock { recordedAttributes } }
        set { lock.withLock { if isRecording, !hasEnded { recordedAttributes = newValue } } }
        _modify {
            lock.lock()
            defer { lock.unlock() }
            if isRecording, !hasEnded {
                if recordedAttributes.isEmpty { recordedAttributes.reserveCapacity(8) }
                yield &recordedAttributes
            } else {
                var ignored = recordedAttributes
                yield &ignored
            }
        }
    }

    /// Sets the status. `ok` is final: later statuses are ignored, as OpenTelemetry specifies.
    public func setStatus(_ status: SpanStatus) {
        lock.withLock {
            guard isRecording, !hasEnded, self.status?.code != .ok else { return }
            self.status = status
        }
    }

    /// Adds an event.
    public func addEvent(_ event: SpanEvent) {
        lock.withLock { if isRecording, !hasEnded { events.append(event) } }
    }

    /// Adds an `exception` event with OpenTelemetry's `exception.type` and `exception.message`.
    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        guard isRecording else { return }
        var eventAttributes = attributes
        eventAttributes["exception.type"] = String(reflecting: type(of: error))
        eventAttributes["exception.message"] = String(describing: error)
        addEvent(SpanEvent(name: "exception", at: instant(), attributes: eventAttributes))
    }

    /// Adds a link to another span's context; a context without a `RUMSpanContext` is ignored.
    public func addLink(_ link: SpanLink) {
        guard link.context.rumSpanContext != nil else { return }
        lock.withLock { if isRecording, !hasEnded { links.append(link) } }
    }

    /// Ends the span: a sampled span is queued for export. Only the first call counts.
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let first = lock.withLock {
            defer { hasEnded = true }
            return !hasEnded
        }
        guard first, let processor else { return }
        let endTimeUnixNano = instant().nanosecondsSinceEpoch
        // Nothing changes the span once it has ended: the fields are read without the lock.
        processor.enqueue { scope in encode(into: &scope, endTimeUnixNano: endTimeUnixNano) }
    }

    /// Appends the span as an OTLP `Span` message.
    private func encode(into scope: inout OTLPScopeSpansWriter, endTimeUnixNano: UInt64) {
        let traceContext = spanContext.traceContext
        // Span.flags: the W3C trace flags, and bits 8 and 9 saying whether the parent is remote.
        var flags = UInt32(traceContext.flags.rawValue) | 0x100
        if parent?.isRemote == true { flags |= 0x200 }
        scope.span(
            traceID: OTLPTraceID(high: traceContext.traceID.high, low: traceContext.traceID.low),
            spanID: OTLPSpanID(traceContext.spanID.rawValue), traceState: traceContext.traceState.headerValue,
            parentSpanID: parent.map { OTLPSpanID($0.spanID.rawValue) }, flags: flags, name: name, kind: OTLPSpan.Kind(kind),
            startTimeUnixNano: startTimeUnixNano, endTimeUnixNano: endTimeUnixNano, status: status.map(OTLPStatus.init)
        ) { span in
            span.attributes(recordedAttributes)
            for event in events {
                span.event(timeUnixNano: event.nanosecondsSinceEpoch, name: event.name) { $0.attributes(event.attributes) }
            }
            for link in links {
                guard let linked = link.context.rumSpanContext else { continue }
                let context = linked.traceContext
                span.link(
                    traceID: OTLPTraceID(high: context.traceID.high, low: context.traceID.low), spanID: OTLPSpanID(context.spanID.rawValue),
                    traceState: context.traceState.headerValue, flags: UInt32(context.flags.rawValue) | (linked.isRemote ? 0x300 : 0x100)
                ) { $0.attributes(link.attributes) }
            }
        }
    }
}

extension OTLPSpan.Kind {
    /// The OTLP kind of a swift-distributed-tracing kind.
    init(_ kind: SpanKind) {
        switch kind {
        case .server: self = .server
        case .client: self = .client
        case .producer: self = .producer
        case .consumer: self = .consumer
        case .internal: self = .internal
        }
    }
}

extension OTLPStatus {
    /// The OTLP status of a swift-distributed-tracing status.
    init(_ status: SpanStatus) {
        switch status.code {
        case .ok: self.init(message: status.message ?? "", code: .ok)
        case .error: self.init(message: status.message ?? "", code: .error)
        }
    }
}
