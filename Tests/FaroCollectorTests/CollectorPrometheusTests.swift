import Foundation
import TestSupport
import Testing

/// The web-vitals histograms read by a real Prometheus (Debian's), both ways: scraped from
/// `/metrics` and sent by remote write, then asked with PromQL's `histogram_quantile`.
@Suite("faro-collector: web vitals in Prometheus", .enabled(if: PrometheusServer.binary != nil || ProcessInfo.processInfo.environment["RUM_REQUIRE_PROMETHEUS"] != nil))
struct CollectorPrometheusTests {
    @Test("scrape and remote write give the quantile of the observed LCPs")
    func quantiles() async throws {
        // The collector must know Prometheus's port for remote write, and Prometheus the
        // collector's for scraping: the collector starts first on a port picked here.
        let collectorPort = try LoopbackPort.free()
        let prometheus = try await PrometheusServer(scrapeTargets: ["127.0.0.1:\(collectorPort)"])
        defer { prometheus.stop() }
        let collector = try await CollectorProcess.start(
            ["--listen-port", String(collectorPort), "--remote-write-url", prometheus.remoteWriteURL],
            configuration: "output: { remote_write_interval: 1s }\n")
        // payload_modern.json: one LCP of 2431.7 ms, in the 2 s to 2.5 s bucket of faro_web_vitals_lcp_seconds.
        let payload = Array(try TestEnvironment.sharedFile("vectors/alloy/payload_modern.json"))
        for _ in 0..<4 { #expect(try await collector.post(body: payload).status == 202) }
        // Linear interpolation within the bucket: 2 + 0.5 * 0.75.
        let scraped = #"histogram_quantile(0.75, sum by (le) (faro_web_vitals_lcp_seconds_bucket{job="faro"}))"#
        let written = #"histogram_quantile(0.75, sum by (le) (faro_web_vitals_lcp_seconds_bucket{job="", app="webshop"}))"#
        // Wait until both ways hold all four observations: a scrape or write may have come between posts.
        let scrapedCount = #"faro_web_vitals_lcp_seconds_count{job="faro"}"#
        let writtenCount = #"faro_web_vitals_lcp_seconds_count{job="", app="webshop"}"#
        var complete = false
        for _ in 0..<300 where !complete {
            let counts = (try await prometheus.query(scrapedCount).first?.value, try await prometheus.query(writtenCount).first?.value)
            complete = counts.0 == 4 && counts.1 == 4
            if !complete { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(complete, "Prometheus did not get all four observations both ways within 30 s")
        let values = (scraped: try await prometheus.query(scraped).first?.value, written: try await prometheus.query(written).first?.value)
        #expect(values.scraped.map { abs($0 - 2.375) < 1e-9 } == true, "scraped: \(String(describing: values.scraped))")
        #expect(values.written.map { abs($0 - 2.375) < 1e-9 } == true, "remote write: \(String(describing: values.written))")
        let counts = try await prometheus.query(#"faro_web_vitals_lcp_seconds_count{job="faro"}"#)
        #expect(counts.first?.value == 4)
        #expect(counts.first?.labels["app"] == "webshop" && counts.first?.labels["environment"] == "production")
        #expect(counts.first?.labels["route"] == "other")
        #expect(await collector.stop() == 0)
    }
}
