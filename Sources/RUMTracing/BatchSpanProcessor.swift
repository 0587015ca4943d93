public import CoreMetrics
import OTLPCodec
import ProtobufWire
import PushDelivery
public import ServiceLifecycle
import Synchronization
public import Tracing

/// Collects ended spans and exports them in batches, as OpenTelemetry's batch span processor
/// does: a bounded queue (spans beyond it are dropped and counted), an export as soon as
/// `maximumExportBatchSize` spans wait or `scheduleDelay` after the last export, and a final
/// export at shutdown.
///
/// Spans are queued already encoded: `RUMSpan.end()` writes the OTLP `Span` message straight into
/// the queue's buffer, so the queue holds no objects, and an export wraps the buffer in one
/// `ExportTraceServiceRequest` with the resource and instrumentation scope, copying it once.
///
/// Run it as a swift-service-lifecycle `Service` (it runs the exporter too); a graceful shutdown
/// exports what is queued and shuts the exporter down, which sends what it holds.
///
/// ```swift
/// let exporter = try OTLPHTTPClient(configuration: OTLPHTTPClientConfiguration(endpoint: "http://127.0.0.1:4318"))
/// let processor = BatchSpanProcessor(exporter: exporter, resource: ["service.name": "shop"])
/// InstrumentationSystem.bootstrap(RUMTracer(processor: processor))
/// let services = ServiceGroup(services: [processor, application], logger: logger)
/// ```
public final class BatchSpanProcessor: Service, Sendable {
    /// The limits and timing.
    public let configuration: BatchSpanProcessorConfiguration
    private let exporter: any SpanExporter
    /// The fields of the OTLP `Resource` message (its attributes), encoded once.
    private let resource: ContiguousArray<UInt8>
    private let scopeName: String
    private let scopeVersion: String

    private struct Queue {
        /// Encoded `ScopeSpans.spans` fields, one per span.
        var spans = ContiguousArray<UInt8>()
        var count = 0
        var isClosed = false
    }

    private let queue = Mutex(Queue())
    private let wake = WakeSignal()
    private let droppedSpanCount = Atomic<Int>(0)
    private let exportedSpans: Counter
    private let droppedQueueFull: Counter
    private let droppedRefused: Counter

    /// A processor that sends its batches to `exporter`.
    ///
    /// - Parameters:
    ///   - resource: the resource attributes of every span (`service.name`, `service.version`,
    ///     `deployment.environment.name`, ...).
    ///   - instrumentationScopeName: the scope that the spans are reported under.
    ///   - metricsFactory: where `rum_tracing_spans_exported_total` and
    ///     `rum_tracing_spans_dropped_total{reason}` go (the bootstrapped `MetricsSystem` by default).
    public init(
        exporter: any SpanExporter, resource: SpanAttributes, instrumentationScopeName: String = "RUMTracing",
        instrumentationScopeVersion: String = "", configuration: BatchSpanProcessorConfiguration = BatchSpanProcessorConfiguration(),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.configuration = configuration
        self.exporter = exporter
        var resourceWriter = OTLPResourceWriter(writer: ProtobufWriter())
        resourceWriter.attributes(resource)
        self.resource = resourceWriter.writer.bytes
        self.scopeName = instrumentationScopeName
        self.scopeVersion = instrumentationScopeVersion
        exportedSpans = Counter(label: "rum_tracing_spans_exported_total", factory: metricsFactory)
        droppedQueueFull = Counter(label: "rum_tracing_spans_dropped_total", dimensions: [("reason", "queue_full")], factory: metricsFactory)
        droppedRefused = Counter(label: "rum_tracing_spans_dropped_total", dimensions: [("reason", "export_refused")], factory: metricsFactory)
    }

    /// Spans dropped so far: the queue was full or closed, or the exporter refused their batch.
    public var droppedSpans: Int { droppedSpanCount.load(ordering: .relaxed) }

    /// Spans queued now, waiting for an export.
    public var queuedSpans: Int { queue.withLock { $0.count } }

    // MARK: Queueing

    /// Queues the span that `write` appends (one `ScopeSpans.spans` field), unless the queue is
    /// full or closed: then the span is dropped and counted.
    func enqueue(_ write: (inout OTLPScopeSpansWriter) -> Void) {
        let maximumCount = configuration.maximumQueueSize
        let maximumBytes = configuration.maximumQueueBytes
        let batchSize = configuration.maximumExportBatchSize
        let queued: Bool? = queue.withLock { queue in
            guard !queue.isClosed, queue.count < maximumCount, queue.spans.count < maximumBytes else { return nil }
            var writer = OTLPScopeSpansWriter(writer: ProtobufWriter())
            swap(&writer.writer.bytes, &queue.spans)
            write(&writer)
            swap(&writer.writer.bytes, &queue.spans)
            queue.count += 1
            return queue.count == batchSize
        }
        switch queued {
        case nil:
            droppedSpanCount.add(1, ordering: .relaxed)
            droppedQueueFull.increment()
        case true?:
            wake.signal()
        case false?:
            break
        }
    }

    // MARK: Exporting

    /// Asks the processor to export what is queued now, without waiting (`Tracer.forceFlush`).
    public func requestExport() {
        wake.signal()
    }

    /// Exports what is queued now and returns once the exporter has sent it (or given up).
    public func flush() async {
        exportQueued()
        await exporter.flush()
    }

    /// Runs the exporter, and exports batches until a graceful shutdown or cancellation; at a
    /// graceful shutdown it stops taking spans, exports what is queued and shuts the exporter
    /// down, which sends what it holds.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.exporter.run() }
            await withGracefulShutdownHandler {
                await self.exportUntilClosed()
            } onGracefulShutdown: {
                self.close()
            }
            // The loop ends once the queue is closed, or at cancellation, which abandons what is queued.
            if Task.isCancelled { return }
            self.exportQueued()
            await self.exporter.shutdown()
            await group.waitForAll()
        }
    }

    /// Stops taking spans and wakes the export loop.
    private func close() {
        queue.withLock { $0.isClosed = true }
        wake.signal()
    }

    private var isClosed: Bool { queue.withLock { $0.isClosed } }

    /// Exports a batch each time one is full, `scheduleDelay` has passed, or an export was
    /// requested, until the queue is closed or the task is cancelled.
    private func exportUntilClosed() async {
        // A delay of zero would make this loop spin.
        let delay = max(configuration.scheduleDelay, .milliseconds(1))
        while !isClosed, !Task.isCancelled {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await Task.sleep(for: delay) }
                group.addTask { await self.wake.wait() }
                await group.next()
                group.cancelAll()
            }
            exportQueued()
        }
    }

    /// Hands every queued span to the exporter as one `ExportTraceServiceRequest`.
    private func exportQueued() {
        let (spans, count) = queue.withLock { queue -> (ContiguousArray<UInt8>, Int) in
            defer {
                queue.spans = ContiguousArray()
                queue.count = 0
            }
            return (queue.spans, queue.count)
        }
        guard count > 0 else { return }
        var request = ContiguousArray<UInt8>()
        request.reserveCapacity(spans.count + resource.count + scopeName.utf8.count + scopeVersion.utf8.count + 32)
        OTLPTracesBuilder.append(to: &request) { traces in
            traces.resourceSpans(resource: { $0.writer.bytes.append(contentsOf: resource) }) { resourceSpans in
                resourceSpans.scopeSpans(name: scopeName, version: scopeVersion) { $0.writer.bytes.append(contentsOf: spans) }
            }
        }
        do {
            try exporter.export(request)
            exportedSpans.increment(by: count)
        } catch {
            droppedSpanCount.add(count, ordering: .relaxed)
            droppedRefused.increment(by: count)
        }
    }
}
