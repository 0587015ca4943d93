import TestSupport
import Testing
import W3CTraceContext

private let trace = "a1ce929d0e0e4736a3ce929d0e0e4736"
private let span = "00f067aa0ba902b7"
private let traceID = TraceID(high: 0xa1ce_929d_0e0e_4736, low: 0xa3ce_929d_0e0e_4736)
private let spanID = SpanID(rawValue: 0x00f0_67aa_0ba9_02b7)

@Suite struct JaegerTests {
    @Test func parsesAndFormats() throws {
        let id = try UberTraceID(parsing: "\(trace):\(span):0:1")
        #expect(id == UberTraceID(traceID: traceID, spanID: spanID, flags: .sampled))
        #expect(id.headerValue == "\(trace):\(span):0:1")
        let context = TraceContext(uberTraceID: id)
        #expect(context.isSampled && !context.isDebug && context.parentSpanID == nil)
        #expect(context.uberTraceID == id)
    }

    @Test(arguments: [
        ("a3ce929d0e0e4736", TraceID(high: 0, low: 0xa3ce_929d_0e0e_4736)),
        ("3ce929d0e0e4736", TraceID(high: 0, low: 0x03ce_929d_0e0e_4736)),
        ("1", TraceID(high: 0, low: 1)),
        ("1a3ce929d0e0e4736", TraceID(high: 1, low: 0xa3ce_929d_0e0e_4736)),
        ("A1CE929D0E0E4736A3CE929D0E0E4736", traceID),
    ])
    func shortAndUppercaseTraceIDs(text: String, id: TraceID) throws {
        let parsed = try UberTraceID(parsing: "\(text):F067AA0BA902B7:0:1")
        #expect(parsed.traceID == id)
        #expect(parsed.spanID == spanID)
        #expect(parsed.headerValue == "\(id):\(span):0:1")
    }

    @Test(arguments: [
        ("0", JaegerFlags(), false, false),
        ("1", .sampled, true, false),
        ("3", [.sampled, .debug], true, true),
        ("2", .debug, false, false),
        ("00001", .sampled, true, false),
        ("ff", JaegerFlags(rawValue: 0xFF), true, true),
        ("FF", JaegerFlags(rawValue: 0xFF), true, true),
        ("9", [.sampled, .firehose], true, false),
        ("1ff", JaegerFlags(rawValue: 0xFF), true, true),
    ] as [(String, JaegerFlags, Bool, Bool)])
    func flags(text: String, flags: JaegerFlags, sampled: Bool, debug: Bool) throws {
        let id = try UberTraceID(parsing: "\(trace):\(span):0:\(text)")
        #expect(id.flags == flags)
        let context = TraceContext(uberTraceID: id)
        #expect(context.isSampled == sampled)
        #expect(context.isDebug == debug)
        #expect(context.uberTraceID.headerValue.hasSuffix(debug ? ":3" : sampled ? ":1" : ":0"))
    }

    @Test(arguments: [
        ("0", nil),
        ("0000000000000000", nil),
        ("5", SpanID(rawValue: 5)),
        ("00F067AA0BA902B7", spanID),
        // Deprecated and ignored by OpenTelemetry's propagators: malformed values are dropped.
        ("whatever", nil),
        ("", nil),
        ("00f067aa0ba902b700", nil),
    ] as [(String, SpanID?)])
    func parentSpanID(text: String, parent: SpanID?) throws {
        let id = try UberTraceID(parsing: "\(trace):\(span):\(text):1")
        #expect(id.parentSpanID == parent)
        #expect(TraceContext(uberTraceID: id).parentSpanID == parent)
        #expect(id.headerValue == "\(trace):\(span):\(parent?.description ?? "0"):1")
    }

    @Test func urlEncodedSeparatorsAndSurroundingWhitespace() throws {
        let expected = UberTraceID(traceID: traceID, spanID: spanID, flags: [.sampled, .debug])
        #expect(try UberTraceID(parsing: "\(trace)%3A\(span)%3a0%3A3") == expected)
        #expect(try UberTraceID(parsing: " \t\(trace):\(span)%3A0:3 \t") == expected)
    }

    @Test(arguments: [
        ("", UberTraceIDError.wrongFieldCount(1)),
        ("\(trace)", .wrongFieldCount(1)),
        ("\(trace)-\(span)-0-1", .wrongFieldCount(1)),
        ("\(trace):\(span):0", .wrongFieldCount(3)),
        ("\(trace):\(span):0:1:", .wrongFieldCount(5)),
        ("\(trace):\(span):0:1:x:y", .wrongFieldCount(6)),
        ("\(trace)%3A\(span)%3A0%3A1%3A", .wrongFieldCount(5)),
        (":\(span):0:1", .invalidTraceIDLength(0)),
        ("\(trace)0:\(span):0:1", .invalidTraceIDLength(33)),
        ("\(trace)::0:1", .invalidSpanIDLength(0)),
        ("\(trace):\(span)0:0:1", .invalidSpanIDLength(17)),
        ("zcd00v0000000000a3ce929d0e0e4736:\(span):0:1", .invalidHexDigit(offset: 0)),
        ("\(trace):00f0wiredba902b7:0:1", .invalidHexDigit(offset: 37)),
        ("a3ce929d0e0e4736 :\(span):0:1", .invalidHexDigit(offset: 16)),
        ("\(trace): \(span.dropFirst()):0:1", .invalidHexDigit(offset: 33)),
        ("\(span)%3B1:\(span):0:1", .invalidHexDigit(offset: 16)),
        ("\(span)%3:\(span):0:1", .invalidHexDigit(offset: 16)),
        ("\(trace)%3B\(span):0:1", .wrongFieldCount(3)),
        ("-1:\(span):0:1", .invalidHexDigit(offset: 0)),
        ("0:\(span):0:1", .zeroTraceID),
        ("00000000000000000000000000000000:\(span):0:1", .zeroTraceID),
        ("\(trace):0:0:1", .zeroSpanID),
        ("\(trace):\(span):0:wired", .invalidFlags(offset: 52)),
        ("\(trace):\(span):0:", .invalidFlags(offset: 52)),
        ("\(trace):\(span):0:00000000000000001", .invalidFlags(offset: 52)),
        ("\(trace):\(span):0:-1", .invalidFlags(offset: 52)),
        ("\(trace):\(span):0:0x1", .invalidFlags(offset: 53)),
        ("\(trace):\(span):0:1 1", .invalidFlags(offset: 53)),
    ])
    func rejectsWithReason(value: String, reason: UberTraceIDError) {
        #expect(throws: reason) { try UberTraceID(parsing: value) }
    }

    @Test(arguments: [10 * 1024, 1024 * 1024, UberTraceID.maximumLength + 1])
    func longValuesAreRejectedBeforeTheyAreRead(length: Int) {
        // The reason depends on the length alone: no byte of the value was looked at.
        let value = "\(trace):\(span):0:1" + String(repeating: " ", count: length - 53)
        #expect(throws: UberTraceIDError.tooLong(length)) { try UberTraceID(parsing: value) }
        let garbage = String(repeating: ":", count: length)
        #expect(throws: UberTraceIDError.tooLong(length)) { try UberTraceID(parsing: garbage) }
    }

    @Test func longestValueIsRead() throws {
        let value = "\(trace)%3A\(span)%3A\(span)%3A0000000000000003"
        #expect(value.utf8.count == 89)
        let padded = String(repeating: " ", count: (UberTraceID.maximumLength - 89) / 2) + value
        #expect(try UberTraceID(parsing: padded).flags == [.sampled, .debug])
    }

    @Test func mutatedValuesParseOrThrowWithoutCrashing() throws {
        var random = SplitMix64(state: 5)
        let valid = Array("\(trace):\(span):\(span):3".utf8)
        let alphabet = Array("0123456789abcdefABCDEF:%3A- \tzx\u{7F}".utf8) + [0x00, 0xC3, 0xA9]
        for _ in 0..<5_000 {
            var bytes = valid
            random.mutate(&bytes, from: alphabet)
            let parsed = try? bytes.withUnsafeBytes { try UberTraceID(parsing: $0) }
            if let parsed {
                #expect(try UberTraceID(parsing: parsed.headerValue) == parsed)
            }
        }
    }
}
