import FaroCollector
import FaroModel
import Testing

@Suite struct WebVitalsConcurrencyTests {
    @Test func concurrentObserversLoseNothing() async throws {
        let histograms = try WebVitalsHistograms(configuration: WebVitalsConfiguration(routes: ["/a", "/b"]))
        let tasks = 8
        let payloadsPerTask = 2_000
        // Each payload: lcp 1000 ms (le=1), cls 0.05, and a rejected negative inp.
        let recorded = await withTaskGroup(of: Int.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var total = 0
                    for index in 0..<payloadsPerTask {
                        let payload = WebVitalsTestPayloads.payload(
                            ["lcp": 1000, "cls": 0.05, "inp": -1], app: "app\(task % 2)",
                            url: index % 3 == 0 ? "/a" : (index % 3 == 1 ? "/b" : "/c"))
                        total += histograms.observe(payload)
                    }
                    return total
                }
            }
            return await group.reduce(0, +)
        }
        #expect(recorded == tasks * payloadsPerTask * 2)
        let statistics = histograms.statistics
        #expect(statistics.recordedObservations == UInt64(tasks * payloadsPerTask * 2))
        #expect(statistics.rejectedObservations == UInt64(tasks * payloadsPerTask))
        #expect(statistics.seriesCount == 2 * 2 * 3)  // lcp and cls × 2 apps × 3 routes
        // Each app got 4 tasks × 2000 payloads; routes /a, /b, other split them 667/667/666.
        let lines = WebVitalsTestPayloads.sampleLines(of: histograms, metric: "faro_web_vitals_lcp_seconds")
        let counts = lines.filter { $0.hasPrefix("faro_web_vitals_lcp_seconds_count") }
        #expect(counts == ["app0", "app1"].flatMap { app in
            [("/a", 2668), ("/b", 2668), ("other", 2664)].map { route, count in
                "faro_web_vitals_lcp_seconds_count{app=\"\(app)\",environment=\"production\",route=\"\(route)\"} \(count)"
            }
        })
        #expect(lines.contains("faro_web_vitals_lcp_seconds_sum{app=\"app0\",environment=\"production\",route=\"other\"} 2664"))
    }

    @Test func scrapingWhileObserving() async throws {
        let histograms = try WebVitalsHistograms()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<3_000 { histograms.observe(WebVitalsTestPayloads.payload(["ttfb": 120])) }
                }
            }
            group.addTask {
                for _ in 0..<50 {
                    var page = ContiguousArray<UInt8>()
                    histograms.appendExposition(to: &page)
                    var request = ContiguousArray<UInt8>()
                    histograms.appendRemoteWriteRequest(timestampMilliseconds: 1, to: &request)
                }
            }
        }
        #expect(WebVitalsTestPayloads.sampleLines(of: histograms, metric: "faro_web_vitals_ttfb_seconds").last
            == "faro_web_vitals_ttfb_seconds_count{app=\"shop\",environment=\"production\",route=\"other\"} 6000")
    }
}
