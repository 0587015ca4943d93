import RUMTracing
import Sampler
import Testing
import Tracing
import W3CTraceContext

@Suite("RUMTracer: sampling")
struct RUMTracerSamplingTests {
    @Test("the default sampler samples every new trace at ratio 1 and none at ratio 0")
    func ratios() async throws {
        for (ratio, expected) in [(1.0, 50), (0.0, 0)] {
            let exporter = InMemorySpanExporter()
            let processor = BatchSpanProcessor(exporter: exporter, resource: [:])
            let tracer = try RUMTracer(processor: processor, ratio: ratio)
            for index in 0..<50 { tracer.startSpan("span \(index)", context: .topLevel).end() }
            await processor.flush()
            #expect(try exporter.spans().count == expected)
        }
    }

    @Test("a ratio outside 0...1 is refused")
    func badRatio() {
        let processor = BatchSpanProcessor(exporter: InMemorySpanExporter(), resource: [:])
        #expect(throws: SamplerConfigurationError.self) { _ = try RUMTracer(processor: processor, ratio: 1.5) }
    }

    @Test("a span that is not sampled records nothing but still carries its context, unsampled, to its children")
    func dropped() async throws {
        let fixture = TracingFixture(sampler: ParentBasedSampler(root: try TraceIDRatioBasedSampler(ratio: 0)))
        let root = fixture.tracer.startSpan("root", context: .topLevel)
        #expect(!root.isRecording)
        root.attributes["ignored"] = 1
        #expect(root.attributes.isEmpty)
        let context = root.spanContext.traceContext
        #expect(!context.isSampled && context.traceID.isValid && context.spanID.isValid)
        let child = fixture.tracer.startSpan("child", context: root.context)
        #expect(child.spanContext.traceContext.traceID == context.traceID)
        #expect(!child.isRecording)
        var headers: [String: String] = [:]
        fixture.tracer.inject(child.context, into: &headers, using: DictionaryInjector())
        #expect(headers["traceparent"] == "00-\(context.traceID)-\(child.spanContext.traceContext.spanID)-02")
        child.end()
        root.end()
        #expect(try await fixture.exported().isEmpty)
    }

    @Test("a child follows its remote parent's decision with the parent-based sampler")
    func parentBased() async throws {
        let fixture = TracingFixture(sampler: ParentBasedSampler(root: try TraceIDRatioBasedSampler(ratio: 0)))
        for (flags, sampled) in [("01", true), ("00", false)] {
            var context = InstrumentationContext.topLevel
            let headers = ["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-\(flags)"]
            fixture.tracer.extract(headers, into: &context, using: DictionaryExtractor())
            let span = fixture.tracer.startSpan("server", context: context, ofKind: .server)
            #expect(span.isRecording == sampled)
            #expect(span.spanContext.traceContext.isSampled == sampled)
            span.end()
        }
        let spans = try await fixture.exported()
        #expect(spans.count == 1)
        #expect(spans.first?.parentSpanID?.description == "00f067aa0ba902b7")
        // A remote parent: bits 8 and 9 set.
        #expect(spans.first?.flags == 0x301)
    }

    @Test("a recorded but unsampled span records and is not exported")
    func recordOnly() async throws {
        let fixture = TracingFixture(sampler: RecordOnlySampler())
        let span = fixture.tracer.startSpan("recorded", context: .topLevel)
        span.attributes["kept"] = true
        #expect(span.isRecording)
        #expect(span.attributes.count == 1)
        span.end()
        #expect(try await fixture.exported().isEmpty)
    }
}

/// Records every span without sampling it.
struct RecordOnlySampler: Sampler {
    func shouldSample(parent: ParentSpanContext?, traceID: TraceID) -> SamplingResult {
        SamplingResult(decision: .recordOnly, traceState: parent?.traceContext.traceState ?? TraceState())
    }

    var description: String { "RecordOnly" }
}
