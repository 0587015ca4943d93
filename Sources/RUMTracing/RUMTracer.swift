public import Sampler
public import Tracing
public import W3CTraceContext

/// The sampler `RUMTracer` uses unless told otherwise: parent-based, with a trace-id ratio for
/// root spans (OpenTelemetry's default is `ParentBased(root: AlwaysOn)`, a ratio of 1).
public typealias DefaultRUMSampler = ParentBasedSampler<
    TraceIDRatioBasedSampler, AlwaysOnSampler, AlwaysOffSampler, AlwaysOnSampler, AlwaysOffSampler
>

/// A swift-distributed-tracing `Tracer` that records spans and exports them as OTLP protobuf
/// through a `BatchSpanProcessor`.
///
/// - Sampling: `sampler` decides for each new span (an OpenTelemetry `Sampler` of the Sampler
///   module; parent-based with a ratio by default).
/// - Propagation: `extract` reads the headers that `propagation` allows and applies its decision
///   for `propagationSource`: trust continues the caller's trace, restart starts a new one that
///   links to it, drop ignores it. `inject` writes the current span's context in
///   `injectedFormats` (W3C `traceparent` and `tracestate` by default).
/// - Ids: random-looking, unique in the process, drawn without system calls (`SpanIDSource`).
///
/// ```swift
/// let exporter = try OTLPHTTPClient(configuration: OTLPHTTPClientConfiguration(endpoint: "http://127.0.0.1:4318"))
/// let processor = BatchSpanProcessor(exporter: exporter, resource: ["service.name": "shop"])
/// InstrumentationSystem.bootstrap(try RUMTracer(processor: processor))
///
/// try await withSpan("checkout") { span in
///     span.attributes["cart.items"] = 3
/// }
/// ```
public final class RUMTracer<S: Sampler>: Tracer, Sendable {
    /// The span type.
    public typealias Span = RUMSpan

    /// Decides which spans are recorded and sampled.
    public let sampler: S
    /// Where sampled spans go when they end.
    public let processor: BatchSpanProcessor
    /// Which incoming trace headers are read, and whether their context is continued.
    public let propagation: PropagationPolicy
    /// The source name whose decision in `propagation` applies to extracted contexts.
    public let propagationSource: String
    /// The formats `inject` writes.
    public let injectedFormats: [TraceHeaderFormat]
    private let ids: SpanIDSource

    /// A tracer.
    ///
    /// - Parameters:
    ///   - propagation: trusts W3C Trace Context from every source by default.
    ///   - ids: where trace and span ids come from (a randomly seeded source by default).
    public init(
        sampler: S, processor: BatchSpanProcessor, propagation: PropagationPolicy = PropagationPolicy(defaultDecision: .trust),
        propagationSource: String = "default", injectedFormats: [TraceHeaderFormat] = [.w3c], ids: SpanIDSource = SpanIDSource()
    ) {
        self.sampler = sampler
        self.processor = processor
        self.propagation = propagation
        self.propagationSource = propagationSource
        self.injectedFormats = injectedFormats
        self.ids = ids
    }

    // MARK: Spans

    /// Starts a span under the span context of `context` (a new trace when there is none), as
    /// `sampler` decides.
    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> RUMSpan {
        var context = context()
        let parent = context.rumSpanContext.flatMap { parent in
            parent.traceContext.traceID.isValid && parent.traceContext.spanID.isValid ? parent : nil
        }
        let restarted = context.restartedTraceContext
        let traceID = parent?.traceContext.traceID ?? ids.traceID()
        let result = sampler.shouldSample(
            parent: parent.map { ParentSpanContext($0.traceContext, isRemote: $0.isRemote) }, traceID: traceID)
        // A new trace's ids are random; a child keeps its parent's random flag.
        var flags: TraceFlags = parent.map { $0.traceContext.flags.intersection(.random) } ?? .random
        if result.decision.isSampled { flags.insert(.sampled) }
        let traceContext = TraceContext(
            traceID: traceID, spanID: ids.spanID(), flags: flags, traceState: result.traceState,
            parentSpanID: parent?.traceContext.spanID)
        let spanContext = RUMSpanContext(traceContext, isRemote: false)
        context.rumSpanContext = spanContext
        if restarted != nil { context.restartedTraceContext = nil }
        let span = RUMSpan(
            operationName: operationName, kind: kind, context: context, spanContext: spanContext,
            parent: parent.map { ($0.traceContext.spanID, $0.isRemote) }, startTimeUnixNano: instant().nanosecondsSinceEpoch,
            isRecording: result.decision.isRecording, processor: result.decision.isSampled ? processor : nil)
        if let restarted {
            var linked = InstrumentationContext.topLevel
            linked.rumSpanContext = RUMSpanContext(restarted, isRemote: true)
            span.addLink(SpanLink(context: linked, attributes: [:]))
        }
        return span
    }

    /// Asks the processor to export what is queued now.
    public func forceFlush() {
        processor.requestExport()
    }

    // MARK: Propagation

    /// Reads the trace headers that `propagation` allows from `carrier`, and puts the context
    /// they carry into `context` as `propagation` decides for `propagationSource`.
    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {
        var fields: [(name: String, value: String)] = []
        for name in propagation.allowedHeaders {
            if let value = extractor.extract(key: name, from: carrier) { fields.append((name, value)) }
        }
        guard !fields.isEmpty else { return }
        switch propagation.evaluate(fields, from: propagationSource).outcome {
        case .trusted(let traceContext):
            context.rumSpanContext = RUMSpanContext(traceContext, isRemote: true)
        case .restarted(_, let link):
            context.rumSpanContext = nil
            context.restartedTraceContext = link
        case .dropped, .none:
            break
        }
    }

    /// Writes the span context of `context`, if any, into `carrier` in each of `injectedFormats`.
    public func inject<Carrier, Inject: Injector>(
        _ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {
        guard let spanContext = context.rumSpanContext else { return }
        for format in injectedFormats {
            for field in spanContext.traceContext.headerFields(in: format) {
                injector.inject(field.value, forKey: field.name, into: &carrier)
            }
        }
    }
}

extension RUMTracer where S == DefaultRUMSampler {
    /// A tracer that samples `ratio` of new traces (all by default) and follows the parent's
    /// decision otherwise; throws when `ratio` is not within 0...1.
    public convenience init(
        processor: BatchSpanProcessor, ratio: Double = 1, propagation: PropagationPolicy = PropagationPolicy(defaultDecision: .trust),
        propagationSource: String = "default", injectedFormats: [TraceHeaderFormat] = [.w3c], ids: SpanIDSource = SpanIDSource()
    ) throws(SamplerConfigurationError) {
        self.init(
            sampler: ParentBasedSampler(root: try TraceIDRatioBasedSampler(ratio: ratio)), processor: processor,
            propagation: propagation, propagationSource: propagationSource, injectedFormats: injectedFormats, ids: ids)
    }
}
