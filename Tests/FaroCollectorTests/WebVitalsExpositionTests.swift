import FaroCollector
import FaroModel
import Testing

@Suite struct WebVitalsExpositionTests {
    /// LCP (bounds 1, 2.5, 4 s) and CLS (bounds 0.1, 0.25), one route pattern.
    static func smallHistograms() throws -> WebVitalsHistograms {
        let lcp = WebVitalHistogram(
            measurementType: "web-vitals", valueName: "lcp", metricName: "faro_web_vitals_lcp_seconds",
            help: "Largest Contentful Paint, in seconds.", unitDivisor: 1000, bucketBounds: [1, 2.5, 4])
        let cls = WebVitalHistogram(
            measurementType: "web-vitals", valueName: "cls", metricName: "faro_web_vitals_cls",
            help: "Cumulative Layout Shift.\nUnitless \\ score.", bucketBounds: [0.1, 0.25])
        return try WebVitalsHistograms(configuration: WebVitalsConfiguration(histograms: [lcp, cls], routes: ["/products/:id"]))
    }

    @Test func exactExposition() throws {
        let histograms = try Self.smallHistograms()
        let payloads = [
            WebVitalsTestPayloads.payload(["lcp": 500, "cls": 0.1, "delta": 500], app: "shop", environment: "prod", url: "https://x.example/products/1"),
            WebVitalsTestPayloads.payload(["lcp": 2500, "cls": 0.3], app: "shop", environment: "prod", url: "/products/2?x=y"),
            WebVitalsTestPayloads.payload(["lcp": 4100], app: "shop", environment: "prod", url: "https://x.example/cart"),
            WebVitalsTestPayloads.payload(["lcp": 1000], app: "we\"b\\\nx", environment: "", url: ""),
        ]
        #expect(payloads.map { histograms.observe($0) } == [2, 2, 1, 1])
        let expected = #"""
            # HELP faro_web_vitals_lcp_seconds Largest Contentful Paint, in seconds.
            # TYPE faro_web_vitals_lcp_seconds histogram
            faro_web_vitals_lcp_seconds_bucket{app="shop",environment="prod",route="/products/:id",le="1"} 1
            faro_web_vitals_lcp_seconds_bucket{app="shop",environment="prod",route="/products/:id",le="2.5"} 2
            faro_web_vitals_lcp_seconds_bucket{app="shop",environment="prod",route="/products/:id",le="4"} 2
            faro_web_vitals_lcp_seconds_bucket{app="shop",environment="prod",route="/products/:id",le="+Inf"} 2
            faro_web_vitals_lcp_seconds_sum{app="shop",environment="prod",route="/products/:id"} 3
            faro_web_vitals_lcp_seconds_count{app="shop",environment="prod",route="/products/:id"} 2
            faro_web_vitals_lcp_seconds_bucket{app="shop",environment="prod",route="other",le="1"} 0
            faro_web_vitals_lcp_seconds_bucket{app="shop",environment="prod",route="other",le="2.5"} 0
            faro_web_vitals_lcp_seconds_bucket{app="shop",environment="prod",route="other",le="4"} 0
            faro_web_vitals_lcp_seconds_bucket{app="shop",environment="prod",route="other",le="+Inf"} 1
            faro_web_vitals_lcp_seconds_sum{app="shop",environment="prod",route="other"} 4.1
            faro_web_vitals_lcp_seconds_count{app="shop",environment="prod",route="other"} 1
            faro_web_vitals_lcp_seconds_bucket{app="we\"b\\\nx",environment="",route="unknown",le="1"} 1
            faro_web_vitals_lcp_seconds_bucket{app="we\"b\\\nx",environment="",route="unknown",le="2.5"} 1
            faro_web_vitals_lcp_seconds_bucket{app="we\"b\\\nx",environment="",route="unknown",le="4"} 1
            faro_web_vitals_lcp_seconds_bucket{app="we\"b\\\nx",environment="",route="unknown",le="+Inf"} 1
            faro_web_vitals_lcp_seconds_sum{app="we\"b\\\nx",environment="",route="unknown"} 1
            faro_web_vitals_lcp_seconds_count{app="we\"b\\\nx",environment="",route="unknown"} 1
            # HELP faro_web_vitals_cls Cumulative Layout Shift.\nUnitless \\ score.
            # TYPE faro_web_vitals_cls histogram
            faro_web_vitals_cls_bucket{app="shop",environment="prod",route="/products/:id",le="0.1"} 1
            faro_web_vitals_cls_bucket{app="shop",environment="prod",route="/products/:id",le="0.25"} 1
            faro_web_vitals_cls_bucket{app="shop",environment="prod",route="/products/:id",le="+Inf"} 2
            faro_web_vitals_cls_sum{app="shop",environment="prod",route="/products/:id"} 0.4
            faro_web_vitals_cls_count{app="shop",environment="prod",route="/products/:id"} 2

            """#
        #expect(WebVitalsTestPayloads.exposition(of: histograms) == expected)
    }

    @Test func labelValuesAreEscaped() throws {
        let histograms = try WebVitalsHistograms()
        histograms.observe(WebVitalsTestPayloads.payload(["cls": 0.5], app: #"a\b"c"#, environment: "line\nbreak ünï"))
        let lines = WebVitalsTestPayloads.sampleLines(of: histograms, metric: "faro_web_vitals_cls")
        #expect(lines.last == #"faro_web_vitals_cls_count{app="a\\b\"c",environment="line\nbreak ünï",route="other"} 1"#)
    }

    @Test func expositionIsAppendedAndRepeatable() throws {
        let histograms = try Self.smallHistograms()
        histograms.observe(WebVitalsTestPayloads.payload(["lcp": 700]))
        var output = ContiguousArray("prefix\n".utf8)
        histograms.appendExposition(to: &output)
        let once = WebVitalsTestPayloads.exposition(of: histograms)
        #expect(String(decoding: output, as: UTF8.self) == "prefix\n" + once)
        #expect(WebVitalsTestPayloads.exposition(of: histograms) == once)
        #expect(WebVitalsHistograms.expositionContentType == "text/plain; version=0.0.4; charset=utf-8")
    }

    @Test func seriesOrderDoesNotDependOnArrival() throws {
        let first = try Self.smallHistograms()
        let second = try Self.smallHistograms()
        let payloads = ["b", "a", "c", "ab", "B", ""].flatMap { app in
            ["/products/1", "/other", ""].map { WebVitalsTestPayloads.payload(["lcp": 1500, "cls": 0.2], app: app, url: $0) }
        }
        payloads.forEach { first.observe($0) }
        payloads.reversed().forEach { second.observe($0) }
        #expect(WebVitalsTestPayloads.exposition(of: first) == WebVitalsTestPayloads.exposition(of: second))
    }
}
