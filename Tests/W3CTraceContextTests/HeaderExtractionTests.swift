import Testing
import W3CTraceContext

/// Header fields as SwiftNIO's `HTTPHeaders` gives them.
typealias Fields = [(name: String, value: String)]

/// Header fields that count how many of them were read.
final class CountingFields: Sequence {
    let fields: Fields
    private(set) var reads = 0

    init(_ fields: Fields) { self.fields = fields }

    func makeIterator() -> AnyIterator<(name: String, value: String)> {
        var iterator = fields.makeIterator()
        return AnyIterator {
            guard let field = iterator.next() else { return nil }
            self.reads += 1
            return field
        }
    }
}

private let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
private let w3cContext = TraceContext(
    traceID: TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736), spanID: SpanID(rawValue: 0x00f0_67aa_0ba9_02b7),
    flags: .sampled)
private let b3 = "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"
private let uberTraceID = "a1ce929d0e0e4736a3ce929d0e0e4736:00f067aa0ba902b7:0:1"

@Suite struct HeaderExtractionTests {
    @Test func namesMatchCaseInsensitivelyAndTracestateFieldsAreJoined() throws {
        let extraction = TraceHeaderExtraction([
            ("Content-Type", "text/plain"),
            ("TraceParent", traceparent),
            ("TRACESTATE", "rojo=1"),
            ("tracestate", "congo=2, "),
        ])
        var expected = w3cContext
        expected.traceState = try TraceState(parsing: "rojo=1,congo=2")
        #expect(extraction.found == .context(expected, format: .w3c))
        #expect(extraction.errors.isEmpty)
        let multiple: Fields = [("X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7"), ("X-B3-SPANID", "e457b5a2e4d86bd1")]
        #expect(TraceHeaderExtraction(multiple).context != nil)
        #expect(TraceHeaderExtraction([("Uber-Trace-Id", uberTraceID)]).found.format == .jaeger)
    }

    @Test func aDuplicatedTraceparentIsInvalid() {
        let twice = TraceHeaderExtraction([("traceparent", traceparent), ("Traceparent", traceparent), ("tracestate", "a=1")])
        #expect(twice.found == .none)
        #expect(twice.errors == [.duplicateTraceparent(2)])
        let withB3 = TraceHeaderExtraction([("traceparent", traceparent), ("traceparent", traceparent), ("b3", b3)])
        #expect(withB3.found.format == .b3Single)
        #expect(withB3.errors == [.duplicateTraceparent(2)])
    }

    @Test func anInvalidTracestateIsDiscardedAndTheContextKept() {
        let extraction = TraceHeaderExtraction([("traceparent", traceparent), ("tracestate", "Bad=1")])
        #expect(extraction.found == .context(w3cContext, format: .w3c))
        #expect(extraction.errors == [.tracestate(.invalidKey(offset: 0))])
    }

    @Test func aTracestateWithoutTraceparentIsIgnored() {
        #expect(TraceHeaderExtraction([("tracestate", "a=1")]) == TraceHeaderExtraction([]))
        #expect(TraceHeaderExtraction([]).found == .none)
    }

    @Test func precedenceIsW3CThenB3SingleThenB3MultipleThenJaeger() {
        let multiple: Fields = [("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7"), ("x-b3-spanid", "e457b5a2e4d86bd1")]
        let all = [("uber-trace-id", uberTraceID)] + multiple + [("b3", b3), ("traceparent", traceparent)]
        #expect(TraceHeaderExtraction(all).found.format == .w3c)
        #expect(TraceHeaderExtraction(all.dropLast()).found.format == .b3Single)
        #expect(TraceHeaderExtraction(all.dropLast(2)).found.format == .b3Multiple)
        #expect(TraceHeaderExtraction(all.prefix(1)).found.format == .jaeger)

        let invalid: Fields = [
            ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"), ("b3", "\(b3)-"),
            ("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7"), ("uber-trace-id", uberTraceID),
        ]
        let extraction = TraceHeaderExtraction(invalid)
        #expect(extraction.found.format == .jaeger)
        #expect(
            extraction.errors == [
                .traceparent(.invalidLength(52)), .b3Single(.invalidParentSpanIDLength(0)), .b3Multiple(.missingSpanID),
            ])
    }

    @Test func ofOtherHeadersTheFirstFieldCounts() {
        let extraction = TraceHeaderExtraction([("uber-trace-id", uberTraceID), ("uber-trace-id", "garbage")])
        #expect(extraction.context?.traceID.description == "a1ce929d0e0e4736a3ce929d0e0e4736")
        #expect(TraceHeaderExtraction([("b3", "garbage"), ("b3", b3)]).errors == [.b3Single(.invalidTraceIDLength(7))])
    }

    @Test func aSamplingDecisionAloneYieldsNoContext() {
        #expect(TraceHeaderExtraction([("b3", "0")]).found == .samplingDecision(.deny))
        #expect(TraceHeaderExtraction([("X-B3-Flags", "1")]).found == .samplingDecision(.debug))
        #expect(TraceHeaderExtraction([("b3", "0"), ("x-b3-sampled", "1")] as Fields).found == .samplingDecision(.deny))
        #expect(TraceHeaderExtraction([("b3", "0"), ("uber-trace-id", uberTraceID)] as Fields).found.format == .jaeger)
    }

    @Test(arguments: TraceHeaderFormat.allCases)
    func injectedFieldsExtractToTheSameContext(format: TraceHeaderFormat) throws {
        var context = TraceContext(
            traceID: TraceID(high: 0x80f1_98ee_5634_3ba8, low: 0x64fe_8b2a_57d3_eff7), spanID: SpanID(rawValue: 0xe457_b5a2_e4d8_6bd1),
            flags: .sampled, traceState: try TraceState(parsing: "rojo=1"), parentSpanID: SpanID(rawValue: 0x05e3_ac9a_4f6e_3b90),
            isDebug: true)
        let fields = context.headerFields(in: format)
        #expect(TraceHeaderExtraction(fields).found.format == format)
        if format == .w3c {
            context.parentSpanID = nil
            context.isDebug = false
        } else {
            context.traceState = TraceState()
        }
        #expect(TraceHeaderExtraction(fields).context == context)
    }

    @Test func injectedFields() throws {
        let context = TraceContext(
            traceID: TraceID(high: 0, low: 0x64fe_8b2a_57d3_eff7), spanID: SpanID(rawValue: 0xe457_b5a2_e4d8_6bd1), flags: .sampled,
            traceState: try TraceState(parsing: "rojo=1"))
        func written(_ format: TraceHeaderFormat) -> [String] { context.headerFields(in: format).map { "\($0.name): \($0.value)" } }
        #expect(written(.w3c) == ["traceparent: 00-000000000000000064fe8b2a57d3eff7-e457b5a2e4d86bd1-01", "tracestate: rojo=1"])
        #expect(written(.b3Single) == ["b3: 000000000000000064fe8b2a57d3eff7-e457b5a2e4d86bd1-1"])
        #expect(
            written(.b3Multiple) == [
                "x-b3-traceid: 000000000000000064fe8b2a57d3eff7", "x-b3-spanid: e457b5a2e4d86bd1", "x-b3-sampled: 1",
            ])
        #expect(written(.jaeger) == ["uber-trace-id: 000000000000000064fe8b2a57d3eff7:e457b5a2e4d86bd1:0:1"])
        var debug = context
        debug.isDebug = true
        debug.traceState = TraceState()
        #expect(debug.headerFields(in: .w3c).map(\.name) == ["traceparent"])
        #expect(debug.headerFields(in: .b3Multiple).map(\.name).last == "x-b3-flags")
        #expect(debug.headerFields(in: .b3Single)[0].value.hasSuffix("-d"))
        #expect(debug.headerFields(in: .jaeger)[0].value.hasSuffix(":3"))
    }

    @Test(arguments: TraceHeaderFormat.allCases)
    func invalidContextsInjectNothing(format: TraceHeaderFormat) {
        #expect(TraceContext(traceID: .invalid, spanID: SpanID(rawValue: 1)).headerFields(in: format).isEmpty)
        #expect(TraceContext(traceID: TraceID(high: 0, low: 1), spanID: .invalid).headerFields(in: format).isEmpty)
    }

    @Test(arguments: [1_000, 100_000])
    func manyFieldsAreReadOnce(count: Int) {
        // Quadratic work would show as reads beyond the count; each field is read once, whatever
        // its name, and values far beyond every limit are rejected by their length.
        let huge = String(repeating: "f", count: 10 * 1024)
        let fields = CountingFields(
            (0..<count).map { index in
                switch index % 4 {
                case 0: ("traceparent", traceparent)
                case 1: ("TraceState", "k\(index)=v")
                case 2: ("uber-trace-id", huge)
                default: (index % 8 == 3 ? huge : "X-Request-ID", huge)
                }
            })
        let extraction = TraceHeaderExtraction(fields)
        #expect(fields.reads == count)
        #expect(extraction.errors.first == .duplicateTraceparent(count / 4))
        #expect(extraction.errors.last == .uberTraceID(.tooLong(10 * 1024)))
    }
}

extension TraceHeaderExtraction.Found {
    /// The format of a context, or `nil`.
    var format: TraceHeaderFormat? {
        guard case .context(_, let format) = self else { return nil }
        return format
    }
}
