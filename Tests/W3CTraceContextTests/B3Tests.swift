import TestSupport
import Testing
import W3CTraceContext

private let trace = "80f198ee56343ba864fe8b2a57d3eff7"
private let span = "e457b5a2e4d86bd1"
private let parent = "05e3ac9a4f6e3b90"
private let traceID = TraceID(high: 0x80f1_98ee_5634_3ba8, low: 0x64fe_8b2a_57d3_eff7)
private let spanID = SpanID(rawValue: 0xe457_b5a2_e4d8_6bd1)
private let parentID = SpanID(rawValue: 0x05e3_ac9a_4f6e_3b90)

@Suite struct B3Tests {
    @Test func singleHeaderWithEveryField() throws {
        let value = "\(trace)-\(span)-1-\(parent)"
        let b3 = try B3Propagation(parsingSingle: value)
        let ids = B3Context(traceID: traceID, spanID: spanID, parentSpanID: parentID, samplingState: .accept)
        #expect(b3 == .context(ids))
        #expect(b3.singleHeaderValue == value)
        let context = TraceContext(b3: ids)
        #expect(context.isSampled && !context.isDebug && context.parentSpanID == parentID)
        #expect(B3Context(context) == ids)
    }

    @Test(arguments: [
        ("-d", B3SamplingState.debug, true, true),
        ("-1", .accept, true, false),
        ("-0", .deny, false, false),
        ("", nil, false, false),
    ] as [(String, B3SamplingState?, Bool, Bool)])
    func samplingStates(suffix: String, state: B3SamplingState?, sampled: Bool, debug: Bool) throws {
        let b3 = try B3Propagation(parsingSingle: "\(trace)-\(span)\(suffix)")
        guard case .context(let ids) = b3 else {
            Issue.record("no context in \(b3)")
            return
        }
        #expect(ids.samplingState == state)
        let context = TraceContext(b3: ids)
        #expect(context.isSampled == sampled)
        #expect(context.isDebug == debug)
        #expect(b3.singleHeaderValue == "\(trace)-\(span)\(suffix)")
    }

    @Test func sixtyFourBitTraceIDsArePaddedAndWhitespaceIgnored() throws {
        let b3 = try B3Propagation(parsingSingle: " \t64fe8b2a57d3eff7-\(span)-1\t ")
        #expect(b3 == .context(B3Context(traceID: TraceID(high: 0, low: 0x64fe_8b2a_57d3_eff7), spanID: spanID, samplingState: .accept)))
        #expect(b3.singleHeaderValue == "000000000000000064fe8b2a57d3eff7-\(span)-1")
    }

    @Test func aSamplingStateAloneIsADecisionWithoutContext() throws {
        #expect(try B3Propagation(parsingSingle: "0") == .samplingOnly(.deny))
        #expect(try B3Propagation(parsingSingle: " 1 ") == .samplingOnly(.accept))
        #expect(try B3Propagation(parsingSingle: "d") == .samplingOnly(.debug))
        #expect(B3Propagation.samplingOnly(.deny).singleHeaderValue == "0")
        #expect(B3Propagation.samplingOnly(.debug).multipleHeaderFields.map { "\($0.name): \($0.value)" } == ["x-b3-flags: 1"])
    }

    @Test func aParentWithoutSamplingStateIsNotWrittenInTheSingleHeader() {
        let deferred = B3Propagation.context(B3Context(traceID: traceID, spanID: spanID, parentSpanID: parentID))
        #expect(deferred.singleHeaderValue == "\(trace)-\(span)")
        #expect(deferred.multipleHeaderFields.map(\.name) == ["x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid"])
    }

    @Test(arguments: [
        ("", B3Error.empty),
        (" \t ", .empty),
        ("2", .invalidSamplingState(offset: 0)),
        ("D", .invalidSamplingState(offset: 0)),
        ("true", .invalidTraceIDLength(4)),
        ("\(trace)", .missingSpanID),
        ("\(trace)-", .invalidSpanIDLength(0)),
        ("\(trace.dropLast())-\(span)-1", .invalidTraceIDLength(31)),
        ("\(trace.prefix(24))-\(span)-1", .invalidTraceIDLength(24)),
        ("\(trace) -\(span)-1", .invalidTraceIDLength(33)),
        ("\(trace.uppercased())-\(span)-1", .invalidTraceID(offset: 2)),
        ("\(trace)-\(span.dropLast())-1", .invalidSpanIDLength(15)),
        ("\(trace)-\(span.uppercased())-1", .invalidSpanID(offset: 33)),
        ("\(trace)-\(span) -1", .invalidSpanIDLength(17)),
        ("00000000000000000000000000000000-\(span)-1", .zeroTraceID),
        ("0000000000000000-\(span)-1", .zeroTraceID),
        ("\(trace)-0000000000000000-1", .zeroSpanID),
        ("\(trace)-\(span)-", .invalidSamplingState(offset: 50)),
        ("\(trace)-\(span)-2", .invalidSamplingState(offset: 50)),
        ("\(trace)-\(span)-true", .invalidSamplingState(offset: 50)),
        ("\(trace)-\(span)-\(parent)", .invalidSamplingState(offset: 50)),
        ("\(trace)-\(span)-1-", .invalidParentSpanIDLength(0)),
        ("\(trace)-\(span)-1-\(parent.dropLast())", .invalidParentSpanIDLength(15)),
        ("\(trace)-\(span)-1-\(parent.uppercased())", .invalidParentSpanID(offset: 54)),
        ("\(trace)-\(span)-1-0000000000000000", .zeroParentSpanID),
        ("\(trace)-\(span)-1-\(parent)-", .unexpectedField(offset: 68)),
        ("\(trace)-\(span)-1-\(parent)-1", .unexpectedField(offset: 68)),
    ])
    func singleHeaderRejectsWithReason(value: String, reason: B3Error) {
        #expect(throws: reason) { try B3Propagation(parsingSingle: value) }
    }

    @Test(arguments: [10 * 1024, 1024 * 1024, B3Propagation.maximumLength + 1])
    func longSingleHeadersAreRejectedBeforeTheyAreRead(length: Int) {
        // The reason depends on the length alone: no byte of the value was looked at.
        let value = "\(trace)-\(span)-1" + String(repeating: " ", count: length - 51)
        #expect(throws: B3Error.tooLong(length)) { try B3Propagation(parsingSingle: value) }
        #expect(throws: B3Error.tooLong(length)) { try B3Propagation(parsingSingle: String(repeating: "-", count: length)) }
    }

    @Test func multipleHeaders() throws {
        let b3 = try B3Propagation(
            traceIDHeader: trace, spanIDHeader: span, parentSpanIDHeader: parent, sampledHeader: "1", flagsHeader: nil)
        #expect(b3 == .context(B3Context(traceID: traceID, spanID: spanID, parentSpanID: parentID, samplingState: .accept)))
        #expect(
            b3?.multipleHeaderFields.map { "\($0.name): \($0.value)" } == [
                "x-b3-traceid: \(trace)", "x-b3-spanid: \(span)", "x-b3-parentspanid: \(parent)", "x-b3-sampled: 1",
            ])
        let padded = try B3Propagation(
            traceIDHeader: " 64fe8b2a57d3eff7\t", spanIDHeader: span, parentSpanIDHeader: nil, sampledHeader: nil, flagsHeader: nil)
        #expect(padded == .context(B3Context(traceID: TraceID(high: 0, low: 0x64fe_8b2a_57d3_eff7), spanID: spanID)))
    }

    @Test(arguments: [
        ("1", nil, B3SamplingState.accept),
        ("0", nil, .deny),
        ("true", nil, .accept),
        ("False", nil, .deny),
        (" TRUE ", nil, .accept),
        ("0", "1", .debug),
        (nil, "1", .debug),
        ("1", "0", .accept),
        (nil, "2", nil),
        (nil, "", nil),
        (nil, nil, nil),
    ] as [(String?, String?, B3SamplingState?)])
    func multipleHeaderSampling(sampled: String?, flags: String?, state: B3SamplingState?) throws {
        let withIDs = try B3Propagation(
            traceIDHeader: trace, spanIDHeader: span, parentSpanIDHeader: nil, sampledHeader: sampled, flagsHeader: flags)
        #expect(withIDs == .context(B3Context(traceID: traceID, spanID: spanID, samplingState: state)))
        let alone = try B3Propagation(
            traceIDHeader: nil, spanIDHeader: nil, parentSpanIDHeader: nil, sampledHeader: sampled, flagsHeader: flags)
        #expect(alone == state.map { B3Propagation.samplingOnly($0) })
    }

    @Test(arguments: [
        (trace, nil, nil, nil, B3Error.missingSpanID),
        (nil, span, nil, nil, .missingTraceID),
        (nil, nil, parent, nil, .parentSpanIDWithoutIdentifiers),
        (nil, nil, parent, "1", .parentSpanIDWithoutIdentifiers),
        (trace, span, nil, "", .invalidSamplingState(offset: 0)),
        (trace, span, nil, "2", .invalidSamplingState(offset: 0)),
        (trace, span, nil, "yes", .invalidSamplingState(offset: 0)),
        (nil, nil, nil, "truth", .invalidSamplingState(offset: 0)),
        ("", span, nil, nil, .invalidTraceIDLength(0)),
        (trace.uppercased(), span, nil, nil, .invalidTraceID(offset: 2)),
        ("\(trace)0", span, nil, nil, .invalidTraceIDLength(33)),
        (trace, "\(span)\(span)", nil, nil, .invalidSpanIDLength(32)),
        (trace, span, "", nil, .invalidParentSpanIDLength(0)),
        (trace, span, "-", nil, .invalidParentSpanIDLength(1)),
        (trace, span, "0000000000000000", nil, .zeroParentSpanID),
        (trace, "0000000000000000", nil, nil, .zeroSpanID),
        (trace, span, "05e3ac9a4f6e3b9g", nil, .invalidParentSpanID(offset: 15)),
    ] as [(String?, String?, String?, String?, B3Error)])
    func multipleHeadersRejectWithReason(traceID: String?, spanID: String?, parentSpanID: String?, sampled: String?, reason: B3Error) {
        #expect(throws: reason) {
            try B3Propagation(
                traceIDHeader: traceID, spanIDHeader: spanID, parentSpanIDHeader: parentSpanID, sampledHeader: sampled,
                flagsHeader: nil)
        }
    }

    @Test(arguments: [10 * 1024, 1024 * 1024])
    func longMultipleHeaderValuesAreRejectedByTheirLength(length: Int) {
        let long = String(repeating: "a", count: length)
        #expect(throws: B3Error.invalidTraceIDLength(length)) {
            try B3Propagation(traceIDHeader: long, spanIDHeader: span, parentSpanIDHeader: nil, sampledHeader: nil, flagsHeader: nil)
        }
        #expect(throws: B3Error.invalidSamplingState(offset: 0)) {
            try B3Propagation(traceIDHeader: nil, spanIDHeader: nil, parentSpanIDHeader: nil, sampledHeader: long, flagsHeader: nil)
        }
    }

    @Test func mutatedSingleHeadersParseOrThrowWithoutCrashing() throws {
        var random = SplitMix64(state: 3)
        let valid = Array("\(trace)-\(span)-d-\(parent)".utf8)
        let alphabet = Array("0123456789abcdefABCDEF-d \t".utf8) + [0x00, 0xC3]
        for _ in 0..<5_000 {
            var bytes = valid
            random.mutate(&bytes, from: alphabet)
            let parsed = try? bytes.withUnsafeBytes { try B3Propagation(parsingSingle: $0) }
            if let parsed {
                #expect(try B3Propagation(parsingSingle: parsed.singleHeaderValue) == parsed)
            }
        }
    }
}
