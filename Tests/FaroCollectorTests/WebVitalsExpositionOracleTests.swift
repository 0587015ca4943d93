import FaroCollector
import FaroModel
import Foundation
import TestSupport
import Testing

/// Our exposition read by the Prometheus Python client's text parser
/// (`prometheus_client.parser`), which unescapes label values and HELP text and parses values
/// with Python's `float`. Needs `prometheus-client` in the oracles' venv.
@Suite struct WebVitalsExpositionOracleTests {
    static let parser = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = []
        for family in text_string_to_metric_families(sys.stdin.read()):
            out.append({"name": family.name, "type": family.type, "help": family.documentation,
                        "samples": [[s.name, dict(s.labels), repr(s.value)] for s in family.samples]})
        print(json.dumps(out))
        """

    @Test func prometheusClientParsesOurExposition() async throws {
        let histograms = try WebVitalsExpositionTests.smallHistograms()
        let odd = "we\"b\\\nx ünï"
        histograms.observe(WebVitalsTestPayloads.payload(["lcp": 500, "cls": 0.1], app: "shop", environment: "prod", url: "/products/1"))
        histograms.observe(WebVitalsTestPayloads.payload(["lcp": 2431.7, "cls": 0.0123], app: odd, environment: "", url: ""))
        let text = WebVitalsTestPayloads.exposition(of: histograms)
        let output = try await TestEnvironment.runPython(code: Self.parser, input: Data(text.utf8))
        let families = try #require(try JSONSerialization.jsonObject(with: output) as? [[String: Any]])
        #expect(families.map { $0["name"] as? String } == ["faro_web_vitals_lcp_seconds", "faro_web_vitals_cls"])
        #expect(families.map { $0["type"] as? String } == ["histogram", "histogram"])
        #expect(families.last?["help"] as? String == "Cumulative Layout Shift.\nUnitless \\ score.")
        let samples = try #require(families.first?["samples"] as? [[Any]])
        // Every sample of the odd app carries its labels unescaped, exactly.
        let oddSamples = samples.filter { ($0[1] as? [String: String])?["app"] == odd }
        #expect(oddSamples.count == 6)
        #expect(oddSamples.allSatisfy { ($0[1] as? [String: String])?["environment"] == "" && ($0[1] as? [String: String])?["route"] == "unknown" })
        let sum = oddSamples.first { ($0[0] as? String) == "faro_web_vitals_lcp_seconds_sum" }
        #expect(sum?[2] as? String == "\(2431.7 / 1000)")
        let les = oddSamples.compactMap { ($0[1] as? [String: String])?["le"] }
        #expect(les == ["1", "2.5", "4", "+Inf"])
    }
}
