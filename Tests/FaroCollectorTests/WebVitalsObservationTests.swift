import FaroCollector
import FaroModel
import Foundation
import TestSupport
import Testing

@Suite struct WebVitalsObservationTests {
    /// A vector of `../shared/vectors/alloy`, decoded.
    static func vector(_ name: String) throws -> FaroPayload {
        let data = try TestEnvironment.sharedFile("vectors/alloy/\(name)")
        return try FaroPayloadDecoder().decode(ContiguousArray(data))
    }

    @Test func alloyPayloadHasNoWebVitals() throws {
        // payload.json's one measurement is of type "foobar": not a web-vital by default.
        let payload = try Self.vector("payload.json")
        let histograms = try WebVitalsHistograms()
        #expect(histograms.observe(payload) == 0)
        #expect(histograms.statistics == WebVitalsHistogramStatistics())
        #expect(WebVitalsTestPayloads.exposition(of: histograms) == "")
    }

    @Test func alloyPayloadWithACustomHistogram() throws {
        // Track foobar.ttfb (14 ms); its siblings ttfp and ttfcp stay untracked.
        let payload = try Self.vector("payload.json")
        let custom = WebVitalHistogram(
            measurementType: "foobar", valueName: "ttfb", metricName: "faro_foobar_ttfb_seconds",
            help: "foobar TTFB.", unitDivisor: 1000, bucketBounds: [0.01, 0.1])
        let histograms = try WebVitalsHistograms(
            configuration: WebVitalsConfiguration(histograms: WebVitalHistogram.defaults + [custom], routes: ["/page"]))
        #expect(histograms.observe(payload) == 1)
        #expect(histograms.observe(payload) == 1)
        #expect(WebVitalsTestPayloads.sampleLines(of: histograms, metric: "faro_foobar_ttfb_seconds") == [
            "faro_foobar_ttfb_seconds_bucket{app=\"testapp\",environment=\"production\",route=\"/page\",le=\"0.01\"} 0",
            "faro_foobar_ttfb_seconds_bucket{app=\"testapp\",environment=\"production\",route=\"/page\",le=\"0.1\"} 2",
            "faro_foobar_ttfb_seconds_bucket{app=\"testapp\",environment=\"production\",route=\"/page\",le=\"+Inf\"} 2",
            "faro_foobar_ttfb_seconds_sum{app=\"testapp\",environment=\"production\",route=\"/page\"} 0.028",
            "faro_foobar_ttfb_seconds_count{app=\"testapp\",environment=\"production\",route=\"/page\"} 2",
        ])
        #expect(histograms.statistics == WebVitalsHistogramStatistics(recordedObservations: 2, seriesCount: 1))
    }

    @Test func appAndEnvironmentOverTheLengthBoundAreRejectedAndCounted() throws {
        let histograms = try WebVitalsHistograms(configuration: WebVitalsConfiguration(maximumLabelValueLength: 8))
        // 8 bytes pass; 9 bytes of app or of environment (here, one two-byte letter) do not.
        #expect(histograms.observe(WebVitalsTestPayloads.payload(["lcp": 1200], app: "shop-web", environment: "prod")) == 1)
        #expect(histograms.observe(WebVitalsTestPayloads.payload(["lcp": 1200, "cls": 0.1], app: "shop-webs", environment: "prod")) == 0)
        #expect(histograms.observe(WebVitalsTestPayloads.payload(["lcp": 1200], environment: "producé1")) == 0)
        #expect(histograms.statistics == WebVitalsHistogramStatistics(recordedObservations: 1, rejectedObservations: 3, seriesCount: 1))
        #expect(!WebVitalsTestPayloads.exposition(of: histograms).contains("shop-webs"))
        var bytes = ContiguousArray<UInt8>()
        histograms.appendStatisticsExposition(to: &bytes)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines == [
            "faro_receiver_web_vitals_observations_total{outcome=\"recorded\"} 1",
            "faro_receiver_web_vitals_observations_total{outcome=\"rejected\"} 3",
            "faro_receiver_web_vitals_observations_total{outcome=\"dropped\"} 0",
            "faro_receiver_web_vitals_series 1",
        ])
        #expect(throws: WebVitalsConfigurationError.invalidMaximumLabelValueLength(0)) {
            try WebVitalsHistograms(configuration: WebVitalsConfiguration(maximumLabelValueLength: 0))
        }
    }

    @Test func modernPayloadWebVitals() throws {
        // payload_modern.json: lcp 2431.7 and ttfb 312.4000000000001, then cls 0.0123 and inp 184,
        // on https://shop.example.com/checkout/payment?step=2.
        let payload = try Self.vector("payload_modern.json")
        let histograms = try WebVitalsHistograms(configuration: WebVitalsConfiguration(routes: ["/checkout/:step"]))
        #expect(histograms.observe(payload) == 4)
        let labels = "app=\"webshop\",environment=\"production\",route=\"/checkout/:step\""
        let lines = WebVitalsTestPayloads.exposition(of: histograms).split(separator: "\n").map(String.init)
        #expect(lines.contains("faro_web_vitals_lcp_seconds_bucket{\(labels),le=\"2\"} 0"))
        #expect(lines.contains("faro_web_vitals_lcp_seconds_bucket{\(labels),le=\"2.5\"} 1"))
        #expect(lines.contains("faro_web_vitals_lcp_seconds_sum{\(labels)} \(2431.7 / 1000)"))
        #expect(lines.contains("faro_web_vitals_ttfb_seconds_bucket{\(labels),le=\"0.4\"} 1"))
        #expect(lines.contains("faro_web_vitals_cls_bucket{\(labels),le=\"0.01\"} 0"))
        #expect(lines.contains("faro_web_vitals_cls_bucket{\(labels),le=\"0.025\"} 1"))
        #expect(lines.contains("faro_web_vitals_cls_sum{\(labels)} 0.0123"))
        #expect(lines.contains("faro_web_vitals_inp_seconds_bucket{\(labels),le=\"0.2\"} 1"))
        #expect(lines.contains("faro_web_vitals_inp_seconds_sum{\(labels)} 0.184"))
        // fcp and fid have no series, so no lines at all.
        #expect(!lines.contains { $0.contains("fcp") || $0.contains("fid") })
    }

    @Test func onlyConfiguredValueNamesCount() throws {
        // The SDK sends delta (and others) beside the vital: not observed, not rejected.
        let histograms = try WebVitalsHistograms()
        let payload = WebVitalsTestPayloads.payload(["lcp": 1200, "delta": 1200, "value": 1200, "LCP": 5])
        #expect(histograms.observe(payload) == 1)
        #expect(histograms.observe(WebVitalsTestPayloads.payload(type: "page load", ["lcp": 1200])) == 0)
        #expect(histograms.statistics == WebVitalsHistogramStatistics(recordedObservations: 1, seriesCount: 1))
    }

    @Test func negativeAndNonFiniteValuesAreRejected() throws {
        let histograms = try WebVitalsHistograms()
        let payload = WebVitalsTestPayloads.payload([
            "lcp": -1, "fcp": .infinity, "ttfb": .nan, "inp": -.infinity, "fid": 0, "cls": -0.0,
        ])
        #expect(histograms.observe(payload) == 2)
        #expect(histograms.statistics == WebVitalsHistogramStatistics(recordedObservations: 2, rejectedObservations: 4, seriesCount: 2))
        let lines = WebVitalsTestPayloads.sampleLines(of: histograms, metric: "faro_web_vitals_fid_seconds")
        #expect(lines.first == "faro_web_vitals_fid_seconds_bucket{app=\"shop\",environment=\"production\",route=\"other\",le=\"0.01\"} 1")
    }

    @Test func cumulativeBucketsForAHandComputedSet() throws {
        // Bounds 1, 2.5, 4 (seconds); values in ms: 0, 999, 1000, 1001, 2500, 2600, 4000, 4000.001, 60000.
        // Per bucket: le=1 {0, 0.999, 1} = 3; le=2.5 {1.001, 2.5} = 2; le=4 {2.6, 4} = 2; +Inf {4.000001, 60} = 2.
        // Cumulative: 3, 5, 7, 9. Sum in seconds, added in this order.
        let histogram = WebVitalHistogram(
            measurementType: "web-vitals", valueName: "lcp", metricName: "lcp_seconds", help: "LCP.",
            unitDivisor: 1000, bucketBounds: [1, 2.5, 4])
        let histograms = try WebVitalsHistograms(configuration: WebVitalsConfiguration(histograms: [histogram]))
        let values: [Double] = [0, 999, 1000, 1001, 2500, 2600, 4000, 4000.001, 60000]
        var sum = 0.0
        for value in values {
            #expect(histograms.observe(WebVitalsTestPayloads.payload(["lcp": value])) == 1)
            sum += value / 1000
        }
        let labels = "app=\"shop\",environment=\"production\",route=\"other\""
        #expect(WebVitalsTestPayloads.sampleLines(of: histograms, metric: "lcp_seconds") == [
            "lcp_seconds_bucket{\(labels),le=\"1\"} 3",
            "lcp_seconds_bucket{\(labels),le=\"2.5\"} 5",
            "lcp_seconds_bucket{\(labels),le=\"4\"} 7",
            "lcp_seconds_bucket{\(labels),le=\"+Inf\"} 9",
            "lcp_seconds_sum{\(labels)} \(sum)",
            "lcp_seconds_count{\(labels)} 9",
        ])
    }

    @Test func cardinalityIsBounded() throws {
        // At most 3 label sets per metric. "other" exists for shop/production, not for blog/production.
        let histogram = WebVitalHistogram(
            measurementType: "web-vitals", valueName: "cls", metricName: "cls", help: "CLS.", bucketBounds: [0.1])
        let configuration = WebVitalsConfiguration(
            histograms: [histogram], routes: ["/a", "/b", "/c", "/d"], maximumSeriesPerMetric: 3)
        let histograms = try WebVitalsHistograms(configuration: configuration)
        func observe(_ app: String, _ path: String) -> Int {
            histograms.observe(WebVitalsTestPayloads.payload(["cls": 0.05], app: app, url: "https://x.example" + path))
        }
        #expect(observe("shop", "/a") == 1)  // series 1
        #expect(observe("shop", "/zzz") == 1)  // series 2: shop/other
        #expect(observe("shop", "/b") == 1)  // series 3
        #expect(observe("shop", "/c") == 1)  // full: to shop/other
        #expect(observe("shop", "/a") == 1)  // existing series
        #expect(observe("blog", "/d") == 0)  // full, no blog/other: dropped
        #expect(observe("blog", "/nothing") == 0)  // full, is itself other: dropped
        #expect(histograms.statistics == WebVitalsHistogramStatistics(recordedObservations: 5, droppedObservations: 2, seriesCount: 3))
        let counts = WebVitalsTestPayloads.sampleLines(of: histograms, metric: "cls").filter { $0.hasPrefix("cls_count") }
        #expect(counts == [
            "cls_count{app=\"shop\",environment=\"production\",route=\"/a\"} 2",
            "cls_count{app=\"shop\",environment=\"production\",route=\"/b\"} 1",
            "cls_count{app=\"shop\",environment=\"production\",route=\"other\"} 2",
        ])
    }

    @Test func boundIsPerMetric() throws {
        let configuration = WebVitalsConfiguration(routes: ["/a", "/b"], maximumSeriesPerMetric: 1)
        let histograms = try WebVitalsHistograms(configuration: configuration)
        #expect(histograms.observe(WebVitalsTestPayloads.payload(["lcp": 1], url: "/a")) == 1)
        #expect(histograms.observe(WebVitalsTestPayloads.payload(["cls": 1], url: "/b")) == 1)
        #expect(histograms.observe(WebVitalsTestPayloads.payload(["lcp": 1, "cls": 1], url: "/b")) == 1)
        #expect(histograms.statistics == WebVitalsHistogramStatistics(recordedObservations: 3, droppedObservations: 1, seriesCount: 2))
    }
}
