import Testing
import W3CTraceContext

@Suite struct TraceparentTests {
    @Test func parsesAndFormatsVersion00() throws {
        let value = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let parent = try Traceparent(parsing: value)
        #expect(parent.version == 0)
        #expect(parent.traceID == TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736))
        #expect(parent.parentID == SpanID(rawValue: 0x00f0_67aa_0ba9_02b7))
        #expect(parent.flags == .sampled)
        #expect(parent.headerValue == value)
        var buffer = ContiguousArray<UInt8>("x".utf8)
        parent.write(to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "x" + value)
    }

    @Test func higherVersionsAreReadAsVersion00AndWrittenAs00() throws {
        let parent = try Traceparent(parsing: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-what-the-future-holds")
        #expect(parent.version == 0xCC)
        #expect(parent.flags == [.sampled, .random])
        #expect(parent.headerValue == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03")
        #expect(throws: TraceparentError.missingDash(offset: 55)) {
            try Traceparent(parsing: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03x")
        }
    }

    @Test(arguments: [
        ("", TraceparentError.invalidVersion),
        ("0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", .invalidVersion),
        ("0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", .invalidVersion),
        ("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", .forbiddenVersion),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", .invalidLength(56)),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1", .invalidLength(54)),
        ("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1", .invalidLength(54)),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01", .missingDash(offset: 35)),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7.01", .missingDash(offset: 52)),
        ("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", .invalidHexDigit(offset: 4)),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01", .invalidHexDigit(offset: 51)),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x", .invalidHexDigit(offset: 54)),
        ("00-00000000000000000000000000000000-00f067aa0ba902b7-01", .zeroTraceID),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", .zeroParentID),
    ])
    func rejectsWithReason(value: String, reason: TraceparentError) {
        #expect(throws: reason) { try Traceparent(parsing: value) }
    }

    @Test func spacesAndTabsAroundTheValueAreIgnored() throws {
        let parent = try Traceparent(parsing: " \t00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00 ")
        #expect(parent.flags == [])
    }

    @Test func contextKeepsOnlyDefinedFlags() throws {
        let parent = try Traceparent(parsing: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff")
        #expect(parent.flags.rawValue == 0xFF)
        let context = TraceContext(traceparent: parent)
        #expect(context.flags == [.sampled, .random])
        #expect(context.traceparent.headerValue.hasSuffix("-03"))
    }

    @Test func identifiersFromHex() {
        #expect(TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")?.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(TraceID(hex: "4BF92F3577B34DA6A3CE929D0E0E4736") == nil)
        #expect(TraceID(hex: "4bf92f3577b34da6") == nil)
        #expect(SpanID(hex: "00f067aa0ba902b7")?.rawValue == 0x00f0_67aa_0ba9_02b7)
        #expect(SpanID(hex: "00f067aa0ba902b") == nil)
        #expect(!TraceID.invalid.isValid && !SpanID.invalid.isValid)
        #expect(TraceID.random().isValid && SpanID.random().isValid)
    }
}
