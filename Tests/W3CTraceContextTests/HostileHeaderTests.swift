import Testing
import W3CTraceContext

/// Oversized and repetitive `traceparent` and `tracestate` values: each rejected with its reason,
/// or read, in time linear in its length (the parsers stop at the length limit or the 33rd member).
@Suite struct HostileHeaderTests {
    static let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func tenKilobyteTraceparentsAreTooLong() {
        let future = "01" + Self.traceparent.dropFirst(2) + "-" + String(repeating: "x", count: 10_000)
        #expect(throws: TraceparentError.tooLong(future.utf8.count)) { try Traceparent(parsing: future) }
        let padded = String(repeating: " ", count: 10_000) + Self.traceparent
        #expect(throws: TraceparentError.tooLong(padded.utf8.count)) { try Traceparent(parsing: padded) }
        // Up to the limit, a higher version's extra fields are allowed.
        let longest = "01" + Self.traceparent.dropFirst(2) + "-" + String(repeating: "x", count: Traceparent.maximumLength - 56)
        #expect(throws: Never.self) { try Traceparent(parsing: longest) }
    }

    @Test func aThousandMembersAreTooMany() throws {
        let members = (0..<1_000).map { "k\($0)=v" }.joined(separator: ",")
        #expect(throws: TraceStateError.tooManyMembers) { try TraceState(parsing: members) }
        // Also when the duplicates among them would be dropped.
        let repeated = Array(repeating: "k=v", count: 1_000).joined(separator: ",")
        #expect(throws: TraceStateError.duplicateKey(offset: 4)) { try TraceState(parsing: repeated) }
        #expect(try TraceState(parsing: repeated, options: .init(duplicateKeys: .keepFirst)).headerValue == "k=v")
    }

    @Test func tenKilobyteTracestatesAreTooLongByDefault() {
        let value = "a=" + String(repeating: "v", count: 200) + String(repeating: ",", count: 10_000)
        #expect(throws: TraceStateError.tooLong(value.utf8.count)) { try TraceState(parsing: value) }
        let fields = Array(repeating: String(repeating: " ", count: 1_000), count: 10)
        #expect(throws: TraceStateError.tooLong(10_009)) { try TraceState(parsingFields: fields) }
    }

    @Test func aMegabyteOfEmptyMembersIsReadWhenAllowed() throws {
        let options = TraceState.ParsingOptions(maximumLength: 1 << 21)
        let value = String(repeating: " ,\t", count: 500_000) + "a=1" + String(repeating: ", ", count: 100_000)
        let state = try TraceState(parsing: value, options: options)
        #expect(state.headerValue == "a=1")
    }

    @Test func longKeysAndValuesAreRejectedAtTheirLimit() {
        #expect(throws: TraceStateError.invalidKey(offset: 4)) {
            try TraceState(parsing: "a=1," + String(repeating: "k", count: 5_000) + "=1")
        }
        #expect(throws: TraceStateError.invalidValue(offset: 2)) {
            try TraceState(parsing: "a=" + String(repeating: "v", count: 8_000))
        }
    }
}
