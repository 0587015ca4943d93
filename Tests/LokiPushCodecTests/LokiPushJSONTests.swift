import Foundation
import LokiPushCodec
import TestSupport
import Testing

@Suite("JSON push bodies")
struct LokiPushJSONTests {
    /// The streams of the protobuf tests, with metadata, unicode and edge times.
    static let streams = LokiPushProtobufTests.streams

    /// The JSON our batch should give: Loki's push format.
    static func expectedJSON(_ streams: [LokiStream]) -> [String: Any] {
        [
            "streams": streams.map { stream in
                [
                    "stream": Dictionary(stream.labels.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                    "values": stream.entries.map { entry -> [Any] in
                        let base: [Any] = [LokiPushOracle.nanoseconds(entry.timestamp), entry.line]
                        if entry.structuredMetadata.isEmpty { return base }
                        return base + [Dictionary(entry.structuredMetadata.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })]
                    },
                ] as [String: Any]
            }
        ]
    }

    @Test("the JSON body parses back to the batch's streams")
    func parsesBack() throws {
        let batch = try LokiBatch(streams: Self.streams)
        var encoder = LokiPushEncoder()
        var body = ContiguousArray("prefix".utf8)
        encoder.encodeJSONBody(batch, gzip: false, into: &body)
        #expect(String(decoding: body.prefix(6), as: UTF8.self) == "prefix")
        let json = try JSONSerialization.jsonObject(with: Data(body.dropFirst(6))) as! [String: Any]
        #expect(NSDictionary(dictionary: json).isEqual(to: Self.expectedJSON(Self.streams)))
    }

    @Test("the gzip body inflates to the JSON body (Python's gzip module reads it)")
    func gzip() async throws {
        var batch = try LokiBatch(streams: Self.streams)
        // Enough lines for several deflate blocks, and an empty body.
        let stream = batch.stream(try LokiLabels(["app": "many"]))
        for index in 0..<5_000 {
            try batch.append(LokiEntry(timestamp: LokiTimestamp(seconds: Int64(index), nanoseconds: 0), line: "line \(index) \(index * 7919 % 1_000_003)"), to: stream)
        }
        for batch in [batch, LokiBatch()] {
            var encoder = LokiPushEncoder()
            var plain = ContiguousArray<UInt8>()
            encoder.encodeJSONBody(batch, gzip: false, into: &plain)
            var gzipped: ContiguousArray<UInt8> = [7]
            encoder.encodeJSONBody(batch, gzip: true, into: &gzipped)
            #expect(gzipped.dropFirst().starts(with: [0x1F, 0x8B]))
            let inflated = try await TestEnvironment.runPython(
                code: "import gzip, sys; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))",
                input: Data(gzipped.dropFirst()))
            #expect(Array(inflated) == Array(plain))
            if batch.entryCount > 1_000 { #expect(gzipped.count < plain.count / 3) }
        }
    }

    @Test("strings are escaped as Go's encoding/json escapes them, timestamps exact")
    func escaping() throws {
        let line = "q\" b\\ \u{08}\u{0C}\n\r\t \u{01}\u{1F} <a>&b \u{2028}\u{2029} é 日本 🎉 \u{7F} \u{E2}x"
        let batch = try LokiBatch(streams: [
            LokiStream(
                labels: try LokiLabels(["app": "<web>"]),
                entries: [
                    LokiEntry(timestamp: LokiTimestamp(seconds: -5, nanoseconds: 1), line: line),
                    LokiEntry(
                        timestamp: LokiTimestamp(seconds: LokiTimestamp.endSeconds - 1, nanoseconds: 5), line: "",
                        structuredMetadata: [LokiLabelPair(name: "k", value: "v&"), LokiLabelPair(name: "n", value: "")]),
                    LokiEntry(timestamp: LokiTimestamp(seconds: LokiTimestamp.minimumSeconds, nanoseconds: 0), line: "x"),
                    LokiEntry(timestamp: LokiTimestamp(seconds: 0, nanoseconds: 7), line: "y"),
                ])
        ])
        var encoder = LokiPushEncoder()
        var body = ContiguousArray<UInt8>()
        encoder.encodeJSONBody(batch, gzip: false, into: &body)
        let expected =
            #"{"streams":[{"stream":{"app":"\u003cweb\u003e"},"values":["#
            + #"["-4999999999","q\" b\\ \b\f\n\r\t \u0001\u001f \u003ca\u003e\u0026b \u2028\u2029 é 日本 🎉 \#u{7F} \#u{E2}x"],"#
            + #"["253402300799000000005","",{"k":"v\u0026","n":""}],"#
            + #"["-62135596800000000000","x"],["7","y"]]}]}"#
        #expect(String(decoding: body, as: UTF8.self) == expected)
    }
}
