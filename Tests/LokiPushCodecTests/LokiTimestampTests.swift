import LokiPushCodec
import Testing

@Suite("LokiTimestamp")
struct LokiTimestampTests {
    @Test("Unix nanoseconds split into seconds and a forward fraction", arguments: [
        (Int64(0), Int64(0), Int32(0)),
        (1_700_000_000_123_456_789, 1_700_000_000, 123_456_789),
        (-1, -1, 999_999_999),
        (-1_000_000_000, -1, 0),
        (-1_500_000_000, -2, 500_000_000),
        (Int64.max, 9_223_372_036, 854_775_807),
        (Int64.min, -9_223_372_037, 145_224_192),
    ])
    func unixNanoseconds(nanoseconds: Int64, seconds: Int64, fraction: Int32) {
        let timestamp = LokiTimestamp(unixNanoseconds: nanoseconds)
        #expect(timestamp == LokiTimestamp(seconds: seconds, nanoseconds: fraction))
        #expect(timestamp.unixNanoseconds == nanoseconds)
    }

    @Test("overflow, ordering and Loki's range")
    func rangeAndOrder() {
        #expect(LokiTimestamp(seconds: 9_223_372_037, nanoseconds: 0).unixNanoseconds == nil)
        #expect(LokiTimestamp(seconds: -9_223_372_037, nanoseconds: 0).unixNanoseconds == nil)
        #expect(LokiTimestamp(seconds: -1, nanoseconds: 5) < LokiTimestamp(seconds: 0, nanoseconds: 0))
        #expect(LokiTimestamp(seconds: 3, nanoseconds: 1) < LokiTimestamp(seconds: 3, nanoseconds: 2))
        #expect(LokiTimestamp(seconds: LokiTimestamp.minimumSeconds, nanoseconds: 0).isWithinLokiRange)
        #expect(!LokiTimestamp(seconds: LokiTimestamp.minimumSeconds - 1, nanoseconds: 999_999_999).isWithinLokiRange)
        #expect(LokiTimestamp(seconds: LokiTimestamp.endSeconds - 1, nanoseconds: 999_999_999).isWithinLokiRange)
        #expect(!LokiTimestamp(seconds: LokiTimestamp.endSeconds, nanoseconds: 0).isWithinLokiRange)
    }
}
