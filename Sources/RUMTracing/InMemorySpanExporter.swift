public import OTLPCodec
import Synchronization

/// A `SpanExporter` that keeps the requests it is given in memory, for testing instrumentation:
/// bootstrap a `RUMTracer` whose processor exports here, run the code, `flush()` the processor,
/// and read `spans()`.
///
/// ```swift
/// let exporter = InMemorySpanExporter()
/// let processor = BatchSpanProcessor(exporter: exporter, resource: ["service.name": "test"])
/// let tracer = RUMTracer(sampler: AlwaysOnSampler(), processor: processor)
/// tracer.withSpan("work") { _ in }
/// await processor.flush()
/// #expect(try exporter.spans().map(\.span.name) == ["work"])
/// ```
public final class InMemorySpanExporter: SpanExporter {
    /// An export refused by `refuseExports(true)`.
    public struct Refusal: Error {}

    /// A span as exported, with the resource attributes and instrumentation scope it came with.
    public struct ExportedSpan: Sendable {
        /// The resource's attributes.
        public var resource: [OTLPKeyValue]
        /// The instrumentation scope's name.
        public var scope: String
        /// The span.
        public var span: OTLPSpan
    }

    private struct State {
        var requests: [ContiguousArray<UInt8>] = []
        var refuses = false
        var shutdowns = 0
    }

    private let state = Mutex(State())
    private let stopped = AsyncStream<Void>.makeStream()

    /// An exporter that takes every request.
    public init() {}

    /// The encoded `ExportTraceServiceRequest`s taken, in order.
    public var requests: [ContiguousArray<UInt8>] { state.withLock { $0.requests } }

    /// How many times `shutdown()` was called.
    public var shutdowns: Int { state.withLock { $0.shutdowns } }

    /// Makes `export` throw (or take requests again), as a full exporter would.
    public func refuseExports(_ refuses: Bool) { state.withLock { $0.refuses = refuses } }

    /// Keeps `request`, or throws `Refusal` when refusing.
    public func export(_ request: ContiguousArray<UInt8>) throws {
        try state.withLock { state in
            if state.refuses { throw Refusal() }
            state.requests.append(request)
        }
    }

    /// Returns after `shutdown()`.
    public func run() async {
        for await _ in stopped.stream {}
    }

    /// Returns at once: requests are kept as they are taken.
    public func flush() async {}

    /// Makes `run()` return.
    public func shutdown() async {
        state.withLock { $0.shutdowns += 1 }
        stopped.continuation.finish()
    }

    /// Every span taken, in order, decoded with OTLPCodec (which throws `OTLPDecodingError`).
    public func spans() throws -> [ExportedSpan] {
        var spans: [ExportedSpan] = []
        for request in requests {
            let data = try request.withUnsafeBytes { try OTLPTracesData(protobuf: $0) }
            for resourceSpans in data.resourceSpans {
                for scopeSpans in resourceSpans.scopeSpans {
                    for span in scopeSpans.spans {
                        spans.append(
                            ExportedSpan(resource: resourceSpans.resource?.attributes ?? [], scope: scopeSpans.scope?.name ?? "", span: span))
                    }
                }
            }
        }
        return spans
    }
}
