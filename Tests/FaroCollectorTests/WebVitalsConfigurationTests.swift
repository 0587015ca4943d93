import FaroCollector
import Testing

@Suite struct WebVitalsConfigurationTests {
    @Test func defaultsTrackTheSixWebVitals() {
        let configuration = WebVitalsConfiguration()
        #expect(configuration.histograms.map(\.valueName) == ["lcp", "fcp", "ttfb", "inp", "fid", "cls"])
        #expect(configuration.histograms.allSatisfy { $0.measurementType == "web-vitals" })
        #expect(configuration.histograms.map(\.metricName) == [
            "faro_web_vitals_lcp_seconds", "faro_web_vitals_fcp_seconds", "faro_web_vitals_ttfb_seconds",
            "faro_web_vitals_inp_seconds", "faro_web_vitals_fid_seconds", "faro_web_vitals_cls",
        ])
        #expect(configuration.histograms.map(\.unitDivisor) == [1000, 1000, 1000, 1000, 1000, 1])
        #expect(configuration.routes.isEmpty)
        #expect(configuration.maximumSeriesPerMetric == 1_000)
    }

    @Test(arguments: [
        (WebVitalHistogram.largestContentfulPaint, 2.5, 4.0),
        (WebVitalHistogram.firstContentfulPaint, 1.8, 3.0),
        (WebVitalHistogram.timeToFirstByte, 0.8, 1.8),
        (WebVitalHistogram.interactionToNextPaint, 0.2, 0.5),
        (WebVitalHistogram.firstInputDelay, 0.1, 0.3),
        (WebVitalHistogram.cumulativeLayoutShift, 0.1, 0.25),
    ])
    func defaultBucketsHoldTheThresholds(histogram: WebVitalHistogram, good: Double, poor: Double) {
        let bounds = histogram.bucketBounds
        #expect(bounds.contains(good))
        #expect(bounds.contains(poor))
        #expect((10...12).contains(bounds.count))
        #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 })
        #expect(bounds.first! < good && bounds.last! > poor)
    }

    @Test func aThresholdInMillisecondsFallsOnItsBound() throws {
        // 2500 ms / 1000 is exactly the bound 2.5, so a "good" LCP counts in le="2.5".
        let histograms = try WebVitalsHistograms()
        histograms.observe(WebVitalsTestPayloads.payload(["lcp": 2500, "ttfb": 800, "fid": 100, "inp": 200]))
        let lines = WebVitalsTestPayloads.exposition(of: histograms).split(separator: "\n")
        #expect(lines.contains("faro_web_vitals_lcp_seconds_bucket{app=\"shop\",environment=\"production\",route=\"other\",le=\"2.5\"} 1"))
        #expect(lines.contains("faro_web_vitals_lcp_seconds_bucket{app=\"shop\",environment=\"production\",route=\"other\",le=\"2\"} 0"))
        #expect(lines.contains("faro_web_vitals_ttfb_seconds_bucket{app=\"shop\",environment=\"production\",route=\"other\",le=\"0.8\"} 1"))
        #expect(lines.contains("faro_web_vitals_fid_seconds_bucket{app=\"shop\",environment=\"production\",route=\"other\",le=\"0.1\"} 1"))
        #expect(lines.contains("faro_web_vitals_inp_seconds_bucket{app=\"shop\",environment=\"production\",route=\"other\",le=\"0.2\"} 1"))
    }

    @Test func invalidConfigurationsAreRejected() {
        func error(_ configuration: WebVitalsConfiguration) -> WebVitalsConfigurationError? {
            do {
                _ = try WebVitalsHistograms(configuration: configuration)
                return nil
            } catch {
                return error
            }
        }
        let lcp = WebVitalHistogram.largestContentfulPaint
        var badName = lcp
        badName.metricName = "9lives"
        #expect(error(WebVitalsConfiguration(histograms: [badName])) == .invalidMetricName("9lives"))
        badName.metricName = "web-vitals"
        #expect(error(WebVitalsConfiguration(histograms: [badName])) == .invalidMetricName("web-vitals"))
        badName.metricName = ""
        #expect(error(WebVitalsConfiguration(histograms: [badName])) == .invalidMetricName(""))
        var renamed = WebVitalHistogram.firstContentfulPaint
        renamed.metricName = lcp.metricName
        #expect(error(WebVitalsConfiguration(histograms: [lcp, renamed])) == .duplicateMetricName(lcp.metricName))
        var again = lcp
        again.metricName = "lcp_again"
        #expect(error(WebVitalsConfiguration(histograms: [lcp, again])) == .duplicateValue(measurementType: "web-vitals", valueName: "lcp"))
        for bounds in [[], [1, 1], [2, 1], [1, .infinity], [.nan]] as [[Double]] {
            var badBounds = lcp
            badBounds.bucketBounds = bounds
            #expect(error(WebVitalsConfiguration(histograms: [badBounds])) == .invalidBucketBounds(metricName: lcp.metricName))
        }
        var badUnit = lcp
        badUnit.unitDivisor = 0
        #expect(error(WebVitalsConfiguration(histograms: [badUnit])) == .invalidUnitDivisor(metricName: lcp.metricName))
        #expect(error(WebVitalsConfiguration(routes: ["products"])) == .invalidRoutePattern("products"))
        #expect(error(WebVitalsConfiguration(routes: ["/docs/*/more"])) == .invalidRoutePattern("/docs/*/more"))
        #expect(error(WebVitalsConfiguration(maximumSeriesPerMetric: 0)) == .invalidMaximumSeriesPerMetric(0))
        #expect(error(WebVitalsConfiguration(routes: ["/", "/products/:id", "/docs/*"])) == nil)
    }
}
