import OTLPCodec
import RUMTracing
import Sampler
import Tracing
import W3CTraceContext

/// A tracer wired to a recording exporter, for the tests.
struct TracingFixture<S: Sampler> {
    let exporter = InMemorySpanExporter()
    let processor: BatchSpanProcessor
    let tracer: RUMTracer<S>

    init(
        sampler: S, configuration: BatchSpanProcessorConfiguration = BatchSpanProcessorConfiguration(),
        propagation: PropagationPolicy = PropagationPolicy(defaultDecision: .trust), propagationSource: String = "default",
        injectedFormats: [TraceHeaderFormat] = [.w3c]
    ) {
        processor = BatchSpanProcessor(
            exporter: exporter, resource: ["service.name": "checkout", "service.instance.count": 2], instrumentationScopeName: "tests",
            instrumentationScopeVersion: "1.0", configuration: configuration)
        tracer = RUMTracer(
            sampler: sampler, processor: processor, propagation: propagation, propagationSource: propagationSource,
            injectedFormats: injectedFormats, ids: SpanIDSource(seed: 42))
    }

    /// Exports what is queued and returns every span exported so far.
    func exported() async throws -> [OTLPSpan] {
        await processor.flush()
        return try exporter.spans().map(\.span)
    }
}

extension TracingFixture where S == AlwaysOnSampler {
    init(configuration: BatchSpanProcessorConfiguration = BatchSpanProcessorConfiguration()) {
        self.init(sampler: AlwaysOnSampler(), configuration: configuration)
    }
}

/// A time `nanoseconds` after the epoch.
func instant(_ nanoseconds: UInt64) -> DefaultTracerClock.Timestamp {
    DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: nanoseconds)
}

/// A dictionary carrier of header fields.
struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

/// Writes header fields into a dictionary.
struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}
