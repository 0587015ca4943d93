import Foundation
import Logging
import MetricsTestKit
import OTLPCodec
import OTLPHTTPClient
import RUMTracing
import Sampler
import ServiceLifecycle
import TestSupport
import Testing
import Tracing

@Suite("BatchSpanProcessor: queue, batches, shutdown and OTLP/HTTP export", .timeLimit(.minutes(1)))
struct BatchSpanProcessorTests {
    @Test("spans beyond the queue's bound are dropped and counted")
    func queueBound() async throws {
        var configuration = BatchSpanProcessorConfiguration()
        configuration.maximumQueueSize = 3
        let metrics = TestMetrics()
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, resource: [:], configuration: configuration, metricsFactory: metrics)
        let tracer = RUMTracer(sampler: AlwaysOnSampler(), processor: processor)
        for index in 0..<5 { tracer.startSpan("span \(index)", context: .topLevel).end() }
        #expect(processor.queuedSpans == 3)
        #expect(processor.droppedSpans == 2)
        #expect(metrics.counterTotal(label: "rum_tracing_spans_dropped_total", dimensions: [("reason", "queue_full")]) == 2)
        await processor.flush()
        #expect(try exporter.spans().map(\.span.name) == ["span 0", "span 1", "span 2"])
        #expect(metrics.counterTotal(label: "rum_tracing_spans_exported_total") == 3)
        // The queue has room again.
        tracer.startSpan("span 5", context: .topLevel).end()
        #expect(processor.queuedSpans == 1)
    }

    @Test("the byte bound drops spans too")
    func byteBound() {
        var configuration = BatchSpanProcessorConfiguration()
        configuration.maximumQueueBytes = 1_000
        let processor = BatchSpanProcessor(exporter: InMemorySpanExporter(), resource: [:], configuration: configuration)
        let tracer = RUMTracer(sampler: AlwaysOnSampler(), processor: processor)
        for _ in 0..<10 {
            let span = tracer.startSpan("large", context: .topLevel)
            span.attributes["payload"] = String(repeating: "x", count: 400)
            span.end()
        }
        #expect(processor.queuedSpans == 3)
        #expect(processor.droppedSpans == 7)
    }

    @Test("a full batch is exported at once, before the schedule delay")
    func fullBatch() async throws {
        var configuration = BatchSpanProcessorConfiguration()
        configuration.maximumExportBatchSize = 4
        configuration.scheduleDelay = .seconds(3600)
        let fixture = TracingFixture(configuration: configuration)
        let running = Task { try await fixture.processor.run() }
        defer { running.cancel() }
        for index in 0..<3 { fixture.tracer.startSpan("span \(index)", context: .topLevel).end() }
        try await Task.sleep(for: .milliseconds(100))
        #expect(fixture.exporter.requests.isEmpty)
        fixture.tracer.startSpan("span 3", context: .topLevel).end()
        #expect(try await eventually { fixture.exporter.requests.count == 1 })
        #expect(try fixture.exporter.spans().count == 4)
    }

    @Test("fewer spans are exported after the schedule delay, and forceFlush exports at once")
    func scheduleDelay() async throws {
        var configuration = BatchSpanProcessorConfiguration()
        configuration.scheduleDelay = .milliseconds(200)
        let fixture = TracingFixture(configuration: configuration)
        let running = Task { try await fixture.processor.run() }
        defer { running.cancel() }
        fixture.tracer.startSpan("lonely", context: .topLevel).end()
        #expect(try await eventually { fixture.exporter.requests.count == 1 })

        var slow = BatchSpanProcessorConfiguration()
        slow.scheduleDelay = .seconds(3600)
        let flushed = TracingFixture(configuration: slow)
        let flushedRunning = Task { try await flushed.processor.run() }
        defer { flushedRunning.cancel() }
        flushed.tracer.startSpan("flushed", context: .topLevel).end()
        flushed.tracer.forceFlush()
        #expect(try await eventually { flushed.exporter.requests.count == 1 })
    }

    @Test("a graceful shutdown exports what is queued, shuts the exporter down, and later spans are dropped")
    func gracefulShutdown() async throws {
        var configuration = BatchSpanProcessorConfiguration()
        configuration.scheduleDelay = .seconds(3600)
        let fixture = TracingFixture(configuration: configuration)
        let group = ServiceGroup(services: [fixture.processor], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        for index in 0..<10 { fixture.tracer.startSpan("span \(index)", context: .topLevel).end() }
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(try fixture.exporter.spans().count == 10)
        #expect(fixture.exporter.shutdowns == 1)
        fixture.tracer.startSpan("too late", context: .topLevel).end()
        #expect(fixture.processor.droppedSpans == 1)
    }

    @Test("a batch the exporter refuses is dropped and counted")
    func refused() async throws {
        let metrics = TestMetrics()
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, resource: [:], metricsFactory: metrics)
        let tracer = RUMTracer(sampler: AlwaysOnSampler(), processor: processor)
        exporter.refuseExports(true)
        for _ in 0..<3 { tracer.startSpan("refused", context: .topLevel).end() }
        await processor.flush()
        #expect(processor.droppedSpans == 3)
        #expect(metrics.counterTotal(label: "rum_tracing_spans_dropped_total", dimensions: [("reason", "export_refused")]) == 3)
    }

    @Test("through OTLPHTTPClient: posted to /v1/traces as protobuf, retried after a 503, and decoded as sent")
    func otlpHTTP() async throws {
        let receiver = try await RecordingHTTPServer { index, _ in
            index == 0 ? HTTPAnswer(status: .serviceUnavailable) : HTTPAnswer(status: .ok)
        }
        defer { Task { await receiver.close() } }
        var clientConfiguration = OTLPHTTPClientConfiguration(endpoint: receiver.url(""))
        clientConfiguration.batchWait = .milliseconds(10)
        clientConfiguration.minimumBackoff = .milliseconds(10)
        clientConfiguration.maximumBackoff = .milliseconds(50)
        clientConfiguration.drainTimeout = .seconds(5)
        let client = try OTLPHTTPClient(configuration: clientConfiguration)
        let processor = BatchSpanProcessor(exporter: client, resource: ["service.name": "shop"])
        let tracer = RUMTracer(sampler: AlwaysOnSampler(), processor: processor)
        let group = ServiceGroup(services: [processor], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        let span = tracer.startSpan("GET /", context: .topLevel, ofKind: .server)
        span.attributes["http.response.status_code"] = 200
        span.end()
        await processor.flush()
        await group.triggerGracefulShutdown()
        try await running.value
        let received = receiver.received
        #expect(received.count == 2)
        let last = try #require(received.last)
        #expect(last.path == "/v1/traces")
        #expect(last.headers["content-type"] == ["application/x-protobuf"])
        let data = try last.body.withUnsafeBytes { try OTLPTracesData(protobuf: $0) }
        let decoded = try #require(data.resourceSpans.first?.scopeSpans.first?.spans.first)
        #expect(decoded.name == "GET /")
        #expect(decoded.traceID?.description == span.spanContext.traceContext.traceID.description)
        #expect(data.resourceSpans.first?.resource?.attributes[key: "service.name"] == .string("shop"))
    }
}
