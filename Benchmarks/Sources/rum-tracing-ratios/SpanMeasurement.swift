import BenchmarkReporting
import Tracing

/// One of the two tracers as the measurement drives it.
struct TracerUnderTest {
    /// Its name in the report.
    let name: String
    /// Makes that many spans of the workload on the calling thread.
    let makeSpans: (Int) -> Void
    /// Hands what the tracer holds to the sink and returns once it is sent, when the tracer can be
    /// asked to; otherwise returns at once, and the tracer exports on its own schedule.
    let flush: () async -> Void
}

/// What one round of one tracer cost.
struct RoundCost {
    /// The CPU time of the whole process during the round: making the spans on the calling thread,
    /// and batching, encoding and sending them on the others.
    let cpuSeconds: Double
    /// The time the calling thread spent making the spans (start, attributes, end), on the clock.
    let makingSeconds: Double
    /// The export requests the sink took.
    let exports: Int
    /// Their body bytes.
    let exportBytes: Int
}

/// Makes spans in bursts on one tracer after the other and waits after each burst until the sink
/// has taken every span made so far, so that the export of a round's spans is inside the round.
///
/// A burst is 2,048 spans, the queue of both batch span processors by default: neither drops a
/// span of a burst that starts with its queue empty, which waiting for the sink makes sure of.
@MainActor
struct SpanMeasurement {
    /// The spans of one burst.
    static let spansPerBurst = 2_048
    /// The bursts of one round.
    static let burstsPerRound = 5
    /// The spans of one round.
    static let spansPerRound = spansPerBurst * burstsPerRound

    /// The receiver of both tracers.
    let sink: OTLPSink
    /// The spans made so far, on both tracers: what the sink should have taken.
    private var madeSpans: Int
    /// The sink's counts after the last burst.
    private var sinkStats: OTLPSink.Stats

    /// A measurement with `sink`, which has taken no span yet.
    init(sink: OTLPSink) async throws {
        self.sink = sink
        sinkStats = try await sink.stats(waitingForSpans: 0)
        madeSpans = sinkStats.spans
    }

    /// Runs `bursts` bursts on `tracer`, each made, flushed, and waited for at the sink; throws if
    /// the sink takes fewer spans than were made (or more) within 10 s.
    mutating func round(of tracer: TracerUnderTest, bursts: Int = burstsPerRound) async throws -> RoundCost {
        let clock = ContinuousClock()
        let before = sinkStats
        var making = Duration.zero
        let cpuBefore = processCPUSeconds()
        for _ in 0..<bursts {
            let start = clock.now
            tracer.makeSpans(SpanMeasurement.spansPerBurst)
            making += clock.now - start
            madeSpans += SpanMeasurement.spansPerBurst
            await tracer.flush()
            sinkStats = try await sink.stats(waitingForSpans: madeSpans)
            guard sinkStats.spans == madeSpans else {
                throw InputError("\(tracer.name): the sink took \(sinkStats.spans) spans in all, \(madeSpans) were made")
            }
        }
        return RoundCost(
            cpuSeconds: processCPUSeconds() - cpuBefore, makingSeconds: InterleavedTimer.seconds(making),
            exports: sinkStats.exports - before.exports, exportBytes: sinkStats.exportBytes - before.exportBytes)
    }
}

/// The benchmark's workload, `count` times: a server span started at the top level, 4 attributes
/// (OpenTelemetry's HTTP semantic conventions), ended; the same as the peer library's for swift-otel.
@inline(never)
func makeSpans<T: Tracer>(_ count: Int, on tracer: T) {
    for _ in 0..<count {
        let span = tracer.startSpan("GET /products/{id}", context: .topLevel, ofKind: .server)
        span.attributes["http.request.method"] = "GET"
        span.attributes["http.route"] = "/products/{id}"
        span.attributes["http.response.status_code"] = 200
        span.attributes["url.path"] = "/products/42"
        span.end()
    }
}
