import OTLPCodec
import RUMTracing
import Synchronization

/// A `SpanExporter` that keeps the requests it is given, and can refuse them.
final class RecordingSpanExporter: SpanExporter {
    struct Refusal: Error {}

    private struct State {
        var requests: [ContiguousArray<UInt8>] = []
        var refuses = false
        var shutdowns = 0
        var flushes = 0
    }

    private let state = Mutex(State())
    private let stopped = AsyncStream<Void>.makeStream()

    /// The requests taken, in order.
    var requests: [ContiguousArray<UInt8>] { state.withLock { $0.requests } }
    /// How many times `shutdown()` was called.
    var shutdowns: Int { state.withLock { $0.shutdowns } }

    /// Whether `export` throws.
    func refuse(_ refuses: Bool) { state.withLock { $0.refuses = refuses } }

    func export(_ request: ContiguousArray<UInt8>) throws {
        try state.withLock { state in
            if state.refuses { throw Refusal() }
            state.requests.append(request)
        }
    }

    func run() async {
        for await _ in stopped.stream {}
    }

    func flush() async {
        state.withLock { $0.flushes += 1 }
    }

    func shutdown() async {
        state.withLock { $0.shutdowns += 1 }
        stopped.continuation.finish()
    }

    /// Every span exported, decoded with OTLPCodec, with its resource's and scope's.
    func spans() throws -> [(resource: [OTLPKeyValue], scope: String, span: OTLPSpan)] {
        try requests.flatMap { request in
            let data = try request.withUnsafeBytes { try OTLPTracesData(protobuf: $0) }
            return data.resourceSpans.flatMap { resourceSpans in
                resourceSpans.scopeSpans.flatMap { scopeSpans in
                    scopeSpans.spans.map { (resourceSpans.resource?.attributes ?? [], scopeSpans.scope?.name ?? "", $0) }
                }
            }
        }
    }
}
