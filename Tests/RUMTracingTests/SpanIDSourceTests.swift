import RUMTracing
import Testing
import W3CTraceContext

@Suite("SpanIDSource")
struct SpanIDSourceTests {
    @Test("100,000 span ids are valid and distinct; trace ids too")
    func distinct() {
        let source = SpanIDSource()
        var spans = Set<SpanID>()
        var traces = Set<TraceID>()
        for _ in 0..<100_000 {
            let span = source.spanID()
            #expect(span.isValid)
            spans.insert(span)
            traces.insert(source.traceID())
        }
        #expect(spans.count == 100_000)
        #expect(traces.count == 100_000)
    }

    @Test("the low 64 bits of trace ids are spread evenly, as ratio sampling needs")
    func uniform() {
        let source = SpanIDSource(seed: 7)
        var below = 0
        for _ in 0..<20_000 where source.traceID().low < UInt64.max / 4 { below += 1 }
        // A quarter of 20,000 is 5,000; the binomial standard deviation is about 61.
        #expect((4_700...5_300).contains(below))
    }

    @Test("two sources with different seeds draw different ids; the same seed the same ids")
    func seeds() {
        #expect(SpanIDSource(seed: 1).spanID() != SpanIDSource(seed: 2).spanID())
        #expect(SpanIDSource(seed: 3).traceID() == SpanIDSource(seed: 3).traceID())
    }
}
