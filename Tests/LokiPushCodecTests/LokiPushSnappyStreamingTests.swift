import LokiPushCodec
import Snappy
import Testing

/// `encodeProtobufBody` compresses the request while writing it, fragment by fragment: its body
/// must be byte for byte `Snappy.compress` of `encodePushRequest`'s output.
@Suite struct LokiPushSnappyStreamingTests {
    /// A line of `count` bytes of logfmt-like text that varies with `seed`.
    static func line(_ count: Int, seed: Int) -> String {
        var text = ""
        var index = seed
        while text.utf8.count < count {
            text += "level=info msg=\"request \(index)\" duration=\(index % 997)ms "
            index = index &* 31 &+ 7
        }
        return String(text.utf8.prefix(count))!
    }

    /// Batches that cross fragment boundaries everywhere: in headers, in lines, in metadata.
    static let batches: [(String, LokiBatch)] = {
        let web = try! LokiLabels(["app": "web", "kind": "log"])
        let api = try! LokiLabels(["app": "api", "kind": "exception"])
        var manyLines = LokiBatch()
        let webIndex = manyLines.stream(web)
        let apiIndex = manyLines.stream(api)
        for index in 0..<3_000 {
            let entry = LokiEntry(
                timestamp: LokiTimestamp(seconds: 1_700_000_000 + Int64(index), nanoseconds: Int32(index % 3) * 1_000),
                line: line(index % 311, seed: index),
                structuredMetadata: index % 7 == 0 ? [LokiLabelPair(name: "trace_id", value: "\(index)ab")] : [])
            try! manyLines.append(entry, to: index % 3 == 0 ? apiIndex : webIndex)
        }
        var longLines = LokiBatch()
        let longIndex = longLines.stream(web)
        for (index, count) in [10, 70_000, Snappy.blockSize, 200_000, 3, Snappy.blockSize - 20, 0, 140_000].enumerated() {
            try! longLines.append(
                LokiEntry(timestamp: LokiTimestamp(seconds: Int64(index), nanoseconds: 5), line: line(count, seed: index)), to: longIndex)
        }
        var streamWithoutEntries = LokiBatch()
        _ = streamWithoutEntries.stream(api)
        return [
            ("empty", LokiBatch()),
            ("a stream without entries", streamWithoutEntries),
            ("the protobuf tests' streams", try! LokiBatch(streams: LokiPushProtobufTests.streams)),
            ("3,000 lines in two streams", manyLines),
            ("lines of 64 KiB and more", longLines),
        ]
    }()

    @Test(arguments: batches.map(\.0))
    func bodyIsTheCompressedRequest(name: String) throws {
        let batch = try #require(Self.batches.first { $0.0 == name }?.1)
        var encoder = LokiPushEncoder()
        var request = ContiguousArray<UInt8>()
        encoder.encodePushRequest(batch, into: &request)
        var body = ContiguousArray<UInt8>()
        encoder.encodeProtobufBody(batch, into: &body)
        #expect(body == Snappy.compress(request))
    }

    @Test func oneEncoderGivesTheSameBodiesBatchAfterBatch() {
        var encoder = LokiPushEncoder()
        var body: ContiguousArray<UInt8> = [0xAA]
        var expected: ContiguousArray<UInt8> = [0xAA]
        for (_, batch) in Self.batches + Self.batches.reversed() {
            var request = ContiguousArray<UInt8>()
            encoder.encodePushRequest(batch, into: &request)
            expected += Snappy.compress(request)
            encoder.encodeProtobufBody(batch, into: &body)
        }
        #expect(body == expected)
    }
}
