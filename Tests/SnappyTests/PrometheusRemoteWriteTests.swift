import Foundation
import Snappy
import TestSupport
import Testing

/// The framing of Prometheus remote-write bodies (`Content-Encoding: snappy`): the Snappy block
/// format, unframed, around a `prometheus.WriteRequest`. Python builds the request from the
/// `prompb` schema (`types.proto`, `remote.proto`, field numbers as upstream) with the official
/// protobuf runtime and compresses it with cramjam; we decompress that body, and compress the
/// request ourselves for Python to decompress and parse.
@Suite struct PrometheusRemoteWriteTests {
    /// The `prompb` messages a remote-write body carries, built at run time.
    static let schema = """
        import base64, json, sys, cramjam
        from google.protobuf import json_format

        """ + TestEnvironment.prometheusRemoteWriteSchema

    /// A request of web-vitals histogram series, as the collector will write them.
    static let request = """
        request = WriteRequest()
        for route in range(40):
            for le in ["0.1", "0.25", "0.5", "1", "2.5", "+Inf"]:
                series = request.timeseries.add()
                for name, value in [("__name__", "faro_web_vitals_lcp_seconds_bucket"), ("app", "checkout"),
                                    ("environment", "production"), ("le", le), ("route", "/product/%d" % route)]:
                    label = series.labels.add(); label.name = name; label.value = value
                for step in range(5):
                    sample = series.samples.add(); sample.value = route * 7.5 + step; sample.timestamp = 1_700_000_000_000 + step * 15_000

        """

    @Test func weDecompressARemoteWriteBody() async throws {
        let code = Self.schema + Self.request + """
            raw = request.SerializeToString()
            print(json.dumps({"raw": base64.b64encode(raw).decode(), "body": base64.b64encode(bytes(cramjam.snappy.compress_raw(raw))).decode()}))
            """
        let output = try await TestEnvironment.runPython(code: code, input: Data())
        let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: String])
        let raw = try #require(Data(base64Encoded: json["raw"] ?? ""))
        let body = try #require(Data(base64Encoded: json["body"] ?? ""))
        var decompressed = ContiguousArray<UInt8>()
        try Snappy.decompress(body, into: &decompressed, maximumLength: raw.count)
        #expect(Array(decompressed) == Array(raw))
    }

    @Test func prometheusReadsOurBody() async throws {
        let raw = try await TestEnvironment.runPython(
            code: Self.schema + Self.request + "sys.stdout.buffer.write(request.SerializeToString())", input: Data())
        let body = Snappy.compress(raw)
        #expect(body.count < raw.count / 3)
        let code = Self.schema + Self.request + """
            received = WriteRequest.FromString(bytes(cramjam.snappy.decompress_raw(sys.stdin.buffer.read())))
            print("same" if received == request else "different")
            """
        let verdict = try await TestEnvironment.runPython(code: code, input: Data(body))
        #expect(String(decoding: verdict, as: UTF8.self) == "same\n")
    }
}
