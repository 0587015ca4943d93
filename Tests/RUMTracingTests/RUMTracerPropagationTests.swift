import RUMTracing
import Sampler
import Testing
import Tracing
import W3CTraceContext

@Suite("RUMTracer: propagation through the W3CTraceContext policy")
struct RUMTracerPropagationTests {
    let incoming = [
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate": "vendor=abc",
        "uber-trace-id": "ignored:ignored:0:1",
    ]

    @Test("a trusted caller's trace is continued, with its tracestate, and injected onward")
    func trust() async throws {
        let fixture = TracingFixture()
        var context = InstrumentationContext.topLevel
        fixture.tracer.extract(incoming, into: &context, using: DictionaryExtractor())
        #expect(context.rumSpanContext?.isRemote == true)
        let span = fixture.tracer.startSpan("GET /", context: context, ofKind: .server)
        var outgoing: [String: String] = [:]
        fixture.tracer.inject(span.context, into: &outgoing, using: DictionaryInjector())
        #expect(outgoing["traceparent"] == "00-4bf92f3577b34da6a3ce929d0e0e4736-\(span.spanContext.traceContext.spanID)-01")
        #expect(outgoing["tracestate"] == "vendor=abc")
        span.end()
        let exported = try await fixture.exported()
        #expect(exported.first?.traceID?.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(exported.first?.traceState == "vendor=abc")
        #expect(exported.first?.links.isEmpty == true)
    }

    @Test("restart: a new trace that links to the caller's context")
    func restart() async throws {
        let fixture = TracingFixture(
            sampler: AlwaysOnSampler(), propagation: PropagationPolicy(defaultDecision: .trust, sources: ["browser": .restart]),
            propagationSource: "browser")
        var context = InstrumentationContext.topLevel
        fixture.tracer.extract(incoming, into: &context, using: DictionaryExtractor())
        #expect(context.rumSpanContext == nil)
        let span = fixture.tracer.startSpan("GET /", context: context, ofKind: .server)
        let child = fixture.tracer.startSpan("render", context: span.context)
        child.end()
        span.end()
        let exported = try await fixture.exported()
        let server = try #require(exported.last)
        #expect(server.traceID?.description != "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(server.parentSpanID == nil)
        #expect(server.links.count == 1)
        #expect(server.links.first?.traceID?.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(server.links.first?.spanID?.description == "00f067aa0ba902b7")
        #expect(server.links.first?.flags == 0x301)
        // Only the first span under the restarted context links; its children are ordinary.
        #expect(exported.first?.links.isEmpty == true)
        #expect(exported.first?.traceID == server.traceID)
    }

    @Test("drop: the caller's context is ignored and a new root starts without a link")
    func drop() async throws {
        let fixture = TracingFixture(sampler: AlwaysOnSampler(), propagation: PropagationPolicy(defaultDecision: .drop))
        var context = InstrumentationContext.topLevel
        fixture.tracer.extract(incoming, into: &context, using: DictionaryExtractor())
        let span = fixture.tracer.startSpan("GET /", context: context, ofKind: .server)
        span.end()
        let exported = try await fixture.exported()
        #expect(exported.first?.traceID?.description != "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(exported.first?.links.isEmpty == true)
    }

    @Test("only the allowed headers are read: a Jaeger context is ignored unless allowed")
    func allowList() {
        let jaeger = ["uber-trace-id": "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1"]
        var context = InstrumentationContext.topLevel
        TracingFixture().tracer.extract(jaeger, into: &context, using: DictionaryExtractor())
        #expect(context.rumSpanContext == nil)
        let allowing = TracingFixture(
            sampler: AlwaysOnSampler(),
            propagation: PropagationPolicy(allowedHeaders: ["traceparent", "tracestate", "uber-trace-id"], defaultDecision: .trust))
        allowing.tracer.extract(jaeger, into: &context, using: DictionaryExtractor())
        #expect(context.rumSpanContext?.traceContext.traceID.description == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test("an invalid traceparent yields no context")
    func invalid() {
        var context = InstrumentationContext.topLevel
        TracingFixture().tracer.extract(
            ["traceparent": "00-00000000000000000000000000000000-00f067aa0ba902b7-01"], into: &context, using: DictionaryExtractor())
        #expect(context.rumSpanContext == nil)
    }

    @Test("inject writes every configured format")
    func formats() {
        let fixture = TracingFixture(sampler: AlwaysOnSampler(), injectedFormats: [.w3c, .b3Single, .jaeger])
        let span = fixture.tracer.startSpan("client", context: .topLevel, ofKind: .client)
        var headers: [String: String] = [:]
        fixture.tracer.inject(span.context, into: &headers, using: DictionaryInjector())
        let ids = span.spanContext.traceContext
        #expect(headers["traceparent"] == "00-\(ids.traceID)-\(ids.spanID)-03")
        #expect(headers["b3"] == "\(ids.traceID)-\(ids.spanID)-1")
        #expect(headers["uber-trace-id"]?.hasPrefix("\(ids.traceID):\(ids.spanID):") == true)
        var nothing: [String: String] = [:]
        fixture.tracer.inject(.topLevel, into: &nothing, using: DictionaryInjector())
        #expect(nothing.isEmpty)
    }
}
