import FaroCollector
import FaroModel
import Foundation
import Snappy
import TestSupport
import Testing

/// Our remote-write requests read by Python's official protobuf runtime, with the `prompb`
/// messages built at run time from a FileDescriptorProto (field numbers as upstream), and our
/// Snappy bodies decompressed by cramjam.
@Suite struct WebVitalsRemoteWriteTests {
    /// The `prompb` schema; prints every series of the request on stdin (or of the Snappy body
    /// when `snappy` is the first argument) as JSON.
    static let reader = """
        import json, sys, math, cramjam

        """ + TestEnvironment.prometheusRemoteWriteSchema + """
        data = sys.stdin.buffer.read()
        if len(sys.argv) > 1 and sys.argv[1] == "snappy":
            data = bytes(cramjam.snappy.decompress_raw(data))
        request = WriteRequest.FromString(data)
        assert request.SerializeToString() == data, "not canonical"
        out = []
        for series in request.timeseries:
            out.append({"labels": [[l.name, l.value] for l in series.labels],
                        "samples": [[repr(s.value), s.timestamp] for s in series.samples]})
        print(json.dumps(out))
        """

    /// One series as Python read it: labels in order, and `[repr(value), timestamp]` samples.
    struct Series: Equatable, CustomStringConvertible {
        var labels: [[String]]
        var samples: [[String]]
        var description: String { "\(labels) \(samples)" }
    }

    /// The series Python reads from `bytes` (a body if `snappy`).
    static func read(_ bytes: ContiguousArray<UInt8>, snappy: Bool = false) async throws -> [Series] {
        let code = snappy ? "import sys; sys.argv = ['', 'snappy']\n" + reader : reader
        let output = try await TestEnvironment.runPython(code: code, input: Data(bytes))
        let json = try #require(try JSONSerialization.jsonObject(with: output) as? [[String: Any]])
        return try json.map { series in
            let labels = try #require(series["labels"] as? [[String]])
            let samples = try #require(series["samples"] as? [[Any]])
            return Series(labels: labels, samples: samples.map { ["\($0[0])", "\($0[1])"] })
        }
    }

    /// The series we expect for the histograms of `WebVitalsExpositionTests.exactExposition`, by hand.
    static func expectedSeries(timestamp: String) -> [Series] {
        func series(_ name: String, _ app: String, _ environment: String, _ route: String, le: String? = nil, _ value: String) -> Series {
            var labels = [["__name__", name], ["app", app]]
            if !environment.isEmpty { labels.append(["environment", environment]) }
            if let le { labels.append(["le", le]) }
            labels.append(["route", route])
            return Series(labels: labels, samples: [[value, timestamp]])
        }
        let lcp = "faro_web_vitals_lcp_seconds"
        let cls = "faro_web_vitals_cls"
        let odd = "we\"b\\\nx"
        return [
            series(lcp + "_bucket", "shop", "prod", "/products/:id", le: "1.0", "1.0"),
            series(lcp + "_bucket", "shop", "prod", "/products/:id", le: "2.5", "2.0"),
            series(lcp + "_bucket", "shop", "prod", "/products/:id", le: "4.0", "2.0"),
            series(lcp + "_bucket", "shop", "prod", "/products/:id", le: "+Inf", "2.0"),
            series(lcp + "_sum", "shop", "prod", "/products/:id", "3.0"),
            series(lcp + "_count", "shop", "prod", "/products/:id", "2.0"),
            series(lcp + "_bucket", "shop", "prod", "other", le: "1.0", "0.0"),
            series(lcp + "_bucket", "shop", "prod", "other", le: "2.5", "0.0"),
            series(lcp + "_bucket", "shop", "prod", "other", le: "4.0", "0.0"),
            series(lcp + "_bucket", "shop", "prod", "other", le: "+Inf", "1.0"),
            series(lcp + "_sum", "shop", "prod", "other", "4.1"),
            series(lcp + "_count", "shop", "prod", "other", "1.0"),
            series(lcp + "_bucket", odd, "", "unknown", le: "1.0", "1.0"),
            series(lcp + "_bucket", odd, "", "unknown", le: "2.5", "1.0"),
            series(lcp + "_bucket", odd, "", "unknown", le: "4.0", "1.0"),
            series(lcp + "_bucket", odd, "", "unknown", le: "+Inf", "1.0"),
            series(lcp + "_sum", odd, "", "unknown", "1.0"),
            series(lcp + "_count", odd, "", "unknown", "1.0"),
            series(cls + "_bucket", "shop", "prod", "/products/:id", le: "0.1", "1.0"),
            series(cls + "_bucket", "shop", "prod", "/products/:id", le: "0.25", "1.0"),
            series(cls + "_bucket", "shop", "prod", "/products/:id", le: "+Inf", "2.0"),
            series(cls + "_sum", "shop", "prod", "/products/:id", "0.4"),
            series(cls + "_count", "shop", "prod", "/products/:id", "2.0"),
        ]
    }

    /// The histograms of `WebVitalsExpositionTests.exactExposition`.
    static func histograms() throws -> WebVitalsHistograms {
        let histograms = try WebVitalsExpositionTests.smallHistograms()
        histograms.observe(WebVitalsTestPayloads.payload(["lcp": 500, "cls": 0.1], app: "shop", environment: "prod", url: "https://x.example/products/1"))
        histograms.observe(WebVitalsTestPayloads.payload(["lcp": 2500, "cls": 0.3], app: "shop", environment: "prod", url: "/products/2?x=y"))
        histograms.observe(WebVitalsTestPayloads.payload(["lcp": 4100], app: "shop", environment: "prod", url: "https://x.example/cart"))
        histograms.observe(WebVitalsTestPayloads.payload(["lcp": 1000], app: "we\"b\\\nx", environment: "", url: ""))
        return histograms
    }

    @Test func pythonReadsOurRequest() async throws {
        let histograms = try Self.histograms()
        var request = ContiguousArray<UInt8>()
        histograms.appendRemoteWriteRequest(timestampMilliseconds: 1_764_151_200_123, to: &request)
        let series = try await Self.read(request)
        let expected = Self.expectedSeries(timestamp: "1764151200123")
        #expect(series.count == expected.count)
        for (got, want) in zip(series, expected) { #expect(got == want) }
        for got in series {
            #expect(got.labels.map { $0[0] } == got.labels.map { $0[0] }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
    }

    @Test func pythonReadsOurSnappyBody() async throws {
        let histograms = try Self.histograms()
        var body = ContiguousArray<UInt8>([0xAA])  // appended after what is there
        var request = ContiguousArray<UInt8>([1, 2, 3])  // scratch: emptied first
        var compressor = SnappyCompressor()
        histograms.appendRemoteWriteBody(timestampMilliseconds: -5, to: &body, request: &request, compressor: &compressor)
        #expect(body.first == 0xAA)
        let compressed = ContiguousArray(body.dropFirst())
        #expect(compressed.count < request.count)
        // Our decompressor gives back the request, and Python reads the same series from the body.
        var decompressed = ContiguousArray<UInt8>()
        try Snappy.decompress(compressed, into: &decompressed, maximumLength: 1 << 20)
        #expect(decompressed == request)
        let series = try await Self.read(compressed, snappy: true)
        #expect(series == Self.expectedSeries(timestamp: "-5"))
    }

    @Test func aLargeRequestRoundTrips() async throws {
        // 300 routes × 6 vitals: bodies of some hundred kilobytes, lengths of several bytes.
        let routes = (0..<300).map { PageRoutePattern("/page/\($0)") }
        let histograms = try WebVitalsHistograms(configuration: WebVitalsConfiguration(routes: routes))
        for page in 0..<300 {
            histograms.observe(WebVitalsTestPayloads.payload(
                ["lcp": Double(page * 37), "fcp": 1800, "ttfb": 0.5, "inp": 200, "fid": 99.9, "cls": Double(page) / 1000],
                url: "https://example.com/page/\(page)"))
        }
        var request = ContiguousArray<UInt8>()
        histograms.appendRemoteWriteRequest(timestampMilliseconds: 1_700_000_000_000, to: &request)
        var body = ContiguousArray<UInt8>()
        var compressor = SnappyCompressor()
        PrometheusRemoteWrite.appendBody(compressing: request, to: &body, compressor: &compressor)
        let series = try await Self.read(body, snappy: true)
        // Per route and vital: 12 buckets (11 bounds + Inf), sum and count.
        #expect(series.count == 300 * 6 * 14)
        let lcpCount = series.first { $0.labels.first == ["__name__", "faro_web_vitals_lcp_seconds_count"] && $0.labels.last == ["route", "/page/7"] }
        #expect(lcpCount?.samples == [["1.0", "1700000000000"]])
        let lcpSum = series.first { $0.labels.first == ["__name__", "faro_web_vitals_lcp_seconds_sum"] && $0.labels.last == ["route", "/page/7"] }
        #expect(lcpSum?.samples == [["0.259", "1700000000000"]])
    }

    @Test func tenantsLabelTheirSeriesAndEachHasItsOwnBound() async throws {
        let configuration = WebVitalsConfiguration(
            histograms: [WebVitalHistogram.defaults[0]], routes: ["/a", "/b"], maximumSeriesPerMetric: 1)
        let histograms = try WebVitalsHistograms(configuration: configuration)
        // Tenant a fills its one series; its second label set is dropped, and b still gets its own.
        #expect(histograms.observe(WebVitalsTestPayloads.payload(["lcp": 100], url: "/a"), tenant: "a") == 1)
        #expect(histograms.observe(WebVitalsTestPayloads.payload(["lcp": 100], url: "/b"), tenant: "a") == 0)
        #expect(histograms.observe(WebVitalsTestPayloads.payload(["lcp": 100], url: "/b"), tenant: "b") == 1)
        #expect(histograms.statistics.seriesCount == 2 && histograms.statistics.droppedObservations == 1)
        let lines = WebVitalsTestPayloads.exposition(of: histograms).split(separator: "\n")
        #expect(lines.contains(#"faro_web_vitals_lcp_seconds_count{app="shop",environment="production",route="/a",tenant="a"} 1"#))
        #expect(lines.contains(#"faro_web_vitals_lcp_seconds_count{app="shop",environment="production",route="/b",tenant="b"} 1"#))
        // In remote write, `tenant` comes last, the label names in order as Prometheus asks.
        var request = ContiguousArray<UInt8>()
        histograms.appendRemoteWriteRequest(timestampMilliseconds: 1, to: &request)
        let series = try await Self.read(request)
        #expect(series.count > 0 && series.allSatisfy { $0.labels.map { $0[0] } == $0.labels.map { $0[0] }.sorted() })
        #expect(series.contains { $0.labels.last == ["tenant", "b"] && $0.labels.contains(["route", "/b"]) })
    }

    /// The four headers the remote-write 1.0 specification says a sender MUST send, `User-Agent` included.
    @Test func headers() {
        #expect(PrometheusRemoteWrite.contentEncoding == "snappy")
        #expect(PrometheusRemoteWrite.contentType == "application/x-protobuf")
        #expect(PrometheusRemoteWrite.versionHeaderName == "X-Prometheus-Remote-Write-Version")
        #expect(PrometheusRemoteWrite.version == "0.1.0")
        #expect(PrometheusRemoteWrite.headers.map { "\($0.name): \($0.value)" } == [
            "Content-Encoding: snappy", "Content-Type: application/x-protobuf", "User-Agent: swift-rum-FaroCollector/1",
            "X-Prometheus-Remote-Write-Version: 0.1.0",
        ])
    }
}
