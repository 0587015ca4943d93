import Foundation
import LokiPushCodec
import ProtobufWire
import Snappy
import Testing
import TestSupport

@Suite("Protobuf push bodies against Loki's push.proto (Python oracle)")
struct LokiPushProtobufTests {
    /// Streams with the edge cases: unicode, empty lines, zero and negative times, metadata.
    static let streams: [LokiStream] = {
        let web = try! LokiLabels(["app": "web", "kind": "log", "note": "a \"quoted\"\nvalue ü \u{2028}"])
        let api = try! LokiLabels(["app": "api"])
        return [
            LokiStream(
                labels: web,
                entries: [
                    LokiEntry(timestamp: LokiTimestamp(unixNanoseconds: 1_700_000_000_123_456_789), line: "level=info msg=\"héllo 日本 🎉\""),
                    LokiEntry(timestamp: LokiTimestamp(seconds: 0, nanoseconds: 0), line: ""),
                    LokiEntry(timestamp: LokiTimestamp(unixNanoseconds: -1), line: "before the epoch"),
                    LokiEntry(
                        timestamp: LokiTimestamp(seconds: 1_700_000_001, nanoseconds: 0), line: String(repeating: "long line ", count: 40),
                        structuredMetadata: [
                            LokiLabelPair(name: "trace_id", value: "0af7651916cd43dd8448eb211c80319c"),
                            LokiLabelPair(name: "empty", value: ""), LokiLabelPair(name: "user", value: "Zoë"),
                        ]),
                ]),
            LokiStream(
                labels: api,
                entries: [
                    LokiEntry(timestamp: LokiTimestamp(seconds: LokiTimestamp.minimumSeconds, nanoseconds: 0), line: "year 1"),
                    LokiEntry(timestamp: LokiTimestamp(seconds: LokiTimestamp.endSeconds - 1, nanoseconds: 999_999_999), line: "year 9999"),
                    LokiEntry(timestamp: LokiTimestamp(seconds: -5, nanoseconds: 1), line: "\u{00}\t\u{7F}"),
                ]),
        ]
    }()

    @Test("the oracle decodes our Snappy body to what was appended, field for field")
    func oracleDecodesOurBody() async throws {
        let batch = try LokiBatch(streams: Self.streams)
        var encoder = LokiPushEncoder()
        var body = ContiguousArray<UInt8>()
        encoder.encodeProtobufBody(batch, into: &body)
        let decoded = try await LokiPushOracle.decode(body)
        let expected = LokiPushOracle.json(Self.streams)
        #expect(NSDictionary(dictionary: decoded).isEqual(to: expected))
        // Metadata in wire order, which the dictionaries above do not compare.
        let decodedText = try await TestEnvironment.runPython(arguments: [LokiPushOracle.script, "decode"], input: Data(body))
        #expect(String(decoding: decodedText, as: UTF8.self).contains(#"{"trace_id": "0af7651916cd43dd8448eb211c80319c", "empty": "", "user": "Zo\u00eb"}"#))
        let decodedStreams = decoded["streams"] as! [[String: Any]]
        #expect(decodedStreams.map { $0["labels"] as! String } == Self.streams.map(\.labels.rendered))
        let firstEntries = decodedStreams[0]["entries"] as! [[String: Any]]
        #expect(firstEntries.map { $0["ts"] as! String } == ["1700000000123456789", "0", "-1", "1700000001000000000"])
        #expect(firstEntries[0]["line"] as! String == "level=info msg=\"héllo 日本 🎉\"")
    }

    @Test("our PushRequest is byte for byte the oracle's deterministic serialization")
    func bytesMatchOracle() async throws {
        let batch = try LokiBatch(streams: Self.streams)
        var encoder = LokiPushEncoder()
        var request: ContiguousArray<UInt8> = [0xAA]
        encoder.encodePushRequest(batch, into: &request)
        #expect(request.first == 0xAA)
        let oracle = try await LokiPushOracle.encode(try LokiPushOracle.jsonText(Self.streams), raw: true)
        #expect(Array(request.dropFirst()) == Array(oracle))
        // The body is that request, Snappy-compressed.
        var body = ContiguousArray<UInt8>()
        encoder.encodeProtobufBody(batch, into: &body)
        var inflated = ContiguousArray<UInt8>()
        try Snappy.decompress(body, into: &inflated, maximumLength: 1 << 20)
        #expect(Array(inflated) == Array(oracle))
    }

    @Test("we decode the oracle's bodies, bare and compressed, to the same streams")
    func weDecodeOracleBodies() async throws {
        let json = try LokiPushOracle.jsonText(Self.streams)
        var batch = LokiBatch()
        let body = try await LokiPushOracle.encode(json)
        try body.withUnsafeBytes { try LokiPushRequestDecoder.decodeProtobufBody($0, maximumLength: 1 << 20, into: &batch) }
        #expect(batch.streams == Self.streams)
        #expect(batch.byteCount == (try LokiBatch(streams: Self.streams)).byteCount)
        var bare = LokiBatch()
        let request = try await LokiPushOracle.encode(json, raw: true)
        try request.withUnsafeBytes { try LokiPushRequestDecoder.decodePushRequest($0, into: &bare) }
        #expect(bare.streams == Self.streams)
    }

    @Test("the decoder skips fields clients never write and unknown fields")
    func skipsUnknownFields() async throws {
        let json = try LokiPushOracle.jsonText(
            Self.streams, extraTopLevel: #","format":"otlp""#, extraStream: #","hash":"12345""#, extraEntry: #","parsed":{"p":"q"}"#)
        var request = try await LokiPushOracle.encode(json, raw: true)
        ProtobufWriter.append(to: &request) { writer in writer.writeString(field: 99, "unknown") }
        var batch = LokiBatch()
        try request.withUnsafeBytes { try LokiPushRequestDecoder.decodePushRequest($0, into: &batch) }
        #expect(batch.streams == Self.streams)
    }

    @Test("the decoder refuses truncated and corrupt input with offsets, leaving the batch as it was")
    func decoderErrors() throws {
        let valid = try LokiBatch(streams: Self.streams)
        var encoder = LokiPushEncoder()
        var request = ContiguousArray<UInt8>()
        encoder.encodePushRequest(valid, into: &request)

        var batch = try LokiBatch(streams: [Self.streams[1]])
        let before = batch.streams
        let decode = { (bytes: [UInt8]) throws in
            do {
                try bytes.withUnsafeBytes { try LokiPushRequestDecoder.decodePushRequest($0, into: &batch) }
            } catch {
                #expect(batch.streams == before)
                throw error
            }
        }
        // Truncated anywhere inside: a protobuf error.
        for cut in [1, 2, 10, request.count / 2, request.count - 1] {
            let error = #expect(throws: LokiPushDecodingError.self) { try decode(Array(request.prefix(cut))) }
            guard case .protobuf = error?.reason, let offset = error?.offset, offset <= cut else {
                Issue.record("cut at \(cut): \(String(describing: error))")
                continue
            }
        }
        // A stream without labels, and unparsable labels.
        #expect(throws: LokiPushDecodingError(.labels(.unexpected(.openingBrace, offset: 0)), offset: 2)) {
            try decode([0x0A, 0x00])
        }
        let badLabels = message(1, message(1, Array(#"{a="x""#.utf8)))
        #expect(throws: LokiPushDecodingError(.labels(.unexpected(.commaOrClosingBrace, offset: 6)), offset: 4)) {
            try decode(badLabels)
        }
        let labels = message(1, Array(#"{a="x"}"#.utf8))
        // A line that is not UTF-8: the offset of the bad byte.
        let badLine = message(1, labels + message(2, message(1, []) + message(2, [0x61, 0xFF])))
        #expect(throws: LokiPushDecodingError(.invalidUTF8, offset: 2 + 9 + 2 + 2 + 2 + 1)) { try decode(badLine) }
        // Nanoseconds out of range, and a time past year 9999.
        let badNanos = message(1, labels + message(2, message(1, [0x10, 0x80, 0x94, 0xEB, 0xDC, 0x03])))
        #expect(throws: LokiPushDecodingError(.timestampOutOfRange(seconds: 0, nanoseconds: 1_000_000_000), offset: 13)) {
            try decode(badNanos)
        }
        var late: [UInt8] = [0x08]
        var seconds = UInt64(LokiTimestamp.endSeconds)
        while seconds >= 0x80 {
            late.append(UInt8(seconds & 0x7F) | 0x80)
            seconds >>= 7
        }
        late.append(UInt8(seconds))
        #expect(throws: LokiPushDecodingError(.timestampOutOfRange(seconds: LokiTimestamp.endSeconds, nanoseconds: 0), offset: 13)) {
            try decode(message(1, labels + message(2, message(1, late))))
        }
        // A metadata name that is not a label name; a value that is not UTF-8.
        let badName = message(1, labels + message(2, message(1, []) + message(3, message(1, Array("a-b".utf8)))))
        #expect(throws: LokiPushDecodingError(.invalidMetadataName("a-b"), offset: 19)) { try decode(badName) }
        let badValue = message(1, labels + message(2, message(1, []) + message(3, message(1, [0x61]) + message(2, [0xC3]))))
        #expect(throws: LokiPushDecodingError(.invalidUTF8, offset: 22)) { try decode(badValue) }
        // A wire type the schema does not have for a field.
        #expect(throws: LokiPushDecodingError(.protobuf(.wireTypeMismatch(field: 1, expected: .lengthDelimited, found: .varint)), offset: 0)) {
            try decode([0x08, 0x01])
        }
        // A corrupt Snappy body: the Snappy error and its offset in the body.
        var body = ContiguousArray<UInt8>()
        encoder.encodeProtobufBody(valid, into: &body)
        #expect(throws: LokiPushDecodingError(.snappy(.lengthOverLimit(length: request.count, limit: 10)), offset: 0)) {
            try body.withUnsafeBytes { try LokiPushRequestDecoder.decodeProtobufBody($0, maximumLength: 10, into: &batch) }
        }
        let snappyError = #expect(throws: LokiPushDecodingError.self) {
            try Array(body.prefix(body.count - 3)).withUnsafeBytes {
                try LokiPushRequestDecoder.decodeProtobufBody($0, maximumLength: 1 << 20, into: &batch)
            }
        }
        guard case .snappy = snappyError?.reason else {
            Issue.record("a truncated body gave \(String(describing: snappyError))")
            return
        }
        #expect(batch.streams == before)
    }

    /// A length-delimited field `number` holding `body` (bodies under 128 bytes).
    func message(_ number: UInt8, _ body: [UInt8]) -> [UInt8] {
        precondition(body.count < 128)
        return [number << 3 | 2, UInt8(body.count)] + body
    }
}
