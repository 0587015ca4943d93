import Sampler
import Testing
import W3CTraceContext

/// The `ot` entry: the grammar of "TraceState Handling", `th` and `rv`, other sub-keys kept.
@Suite struct OTelTraceStateTests {
    @Test func parsesThresholdRandomnessAndOtherSubKeys() throws {
        let state = try OTelTraceState(parsing: "p:8;th:c;k1:A.b_c-9;rv:6e6d1a75832a2f;r:")
        #expect(state.threshold?.rawValue == 0xc0_0000_0000_0000)
        #expect(state.randomness?.rawValue == 0x6e_6d1a_7583_2a2f)
        #expect(state.otherMembers == ["p:8", "k1:A.b_c-9", "r:"])
        #expect(state.value == "p:8;k1:A.b_c-9;r:;rv:6e6d1a75832a2f;th:c")
    }

    /// The specification's example of setting a value: `ot=p:8;k1:7;r:62` becomes
    /// `ot=p:8;r:62;k1:13`; here with `th`, which moves to the end.
    @Test func settingTheThresholdMovesItToTheEnd() throws {
        var state = try OTelTraceState(parsing: "p:8;th:7;r:62")
        state.threshold = try RejectionThreshold(probability: 0.25, precision: 4)
        #expect(state.value == "p:8;r:62;th:c")
        state.threshold = nil
        #expect(state.value == "p:8;r:62")
        var empty = OTelTraceState()
        #expect(empty.isEmpty && empty.value == "")
        empty.randomness = Randomness(rawValue: 0x12)
        #expect(empty.value == "rv:00000000000012" && !empty.isEmpty)
    }

    @Test func rejectsWhatBreaksTheGrammar() {
        let cases: [(String, OTelTraceStateError)] = [
            ("th", .invalidSyntax(offset: 2)),
            ("th:8;", .invalidSyntax(offset: 4)),
            (";th:8", .invalidSyntax(offset: 0)),
            ("th:8;;p:1", .invalidSyntax(offset: 5)),
            ("Th:8", .invalidSyntax(offset: 0)),
            ("1p:8", .invalidSyntax(offset: 0)),
            ("p-q:8", .invalidSyntax(offset: 1)),
            ("p:a b", .invalidSyntax(offset: 3)),
            ("p:a:b", .invalidSyntax(offset: 3)),
            ("p:1;th:8;p:2", .duplicateKey(offset: 9)),
            ("th:8;th:8", .duplicateKey(offset: 5)),
            ("th:", .invalidThreshold(offset: 3)),
            ("th:C", .invalidThreshold(offset: 3)),
            ("th:fffffffffffffff", .invalidThreshold(offset: 3)),
            ("p:1;rv:6e6d1a75832a2", .invalidRandomness(offset: 7)),
            ("rv:6e6d1a75832a2f0", .invalidRandomness(offset: 3)),
            ("rv:6E6D1A75832A2F", .invalidRandomness(offset: 3)),
            ("p:" + String(repeating: "x", count: 255), .tooLong(257)),
        ]
        for (value, error) in cases {
            #expect(throws: error, "\(value)") { try OTelTraceState(parsing: value) }
        }
        #expect((try? OTelTraceState(parsing: "p:" + String(repeating: "x", count: 254))) != nil)
    }

    @Test func readAndWrittenInTraceState() throws {
        var traceState = try TraceState(parsing: "vendor=1,ot=rv:6e6d1a75832a2f;x:y")
        var state = try #require(try traceState.openTelemetryState())
        #expect(state.randomness?.rv == "6e6d1a75832a2f")
        state.threshold = .alwaysSample
        try traceState.setOpenTelemetryState(state)
        // The entry moves to the front, as a participant's own entry does.
        #expect(traceState.headerValue == "ot=x:y;rv:6e6d1a75832a2f;th:0,vendor=1")
        try traceState.setOpenTelemetryState(OTelTraceState())
        #expect(traceState.headerValue == "vendor=1")
        #expect(try traceState.openTelemetryState() == nil)
        #expect(throws: OTelTraceStateError.invalidThreshold(offset: 3)) {
            try TraceState(parsing: "ot=th:z").openTelemetryState()
        }
    }

    @Test func aValueThatWouldPassTheLimitIsNotWritten() throws {
        let long = "p:" + String(repeating: "x", count: 250)  // 252 characters
        var traceState = try TraceState(parsing: "ot=" + long)
        var state = try #require(try traceState.openTelemetryState())
        state.threshold = .alwaysSample  // `;th:0` makes 257
        #expect(throws: OTelTraceStateError.tooLong(257)) { try traceState.setOpenTelemetryState(state) }
        #expect(traceState.headerValue == "ot=" + long)
    }
}
