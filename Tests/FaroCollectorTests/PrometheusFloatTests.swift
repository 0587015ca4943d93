@testable import FaroCollector
import Testing

/// Float text as Go's `strconv.FormatFloat(x, 'g', -1, 64)` writes it (the table's right-hand
/// sides are Go's output), which is how Prometheus and client_golang write values and `le`.
@Suite struct PrometheusFloatTests {
    @Test(arguments: [
        (0.0, "0"), (-0.0, "-0"), (1.0, "1"), (-1.0, "-1"), (2.5, "2.5"), (0.1, "0.1"),
        (0.30000000000000004, "0.30000000000000004"), (0.0001, "0.0001"), (0.00001, "1e-05"),
        (0.000123, "0.000123"), (1.5e-7, "1.5e-07"), (100000.0, "100000"), (123456.0, "123456"),
        (1e6, "1e+06"), (1234567.0, "1.234567e+06"), (1e21, "1e+21"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (Double.leastNonzeroMagnitude, "5e-324"), (2.2250738585072014e-308, "2.2250738585072014e-308"), (9007199254740993.0, "9.007199254740992e+15"),
        (12.5, "12.5"), (999999.0, "999999"), (0.025, "0.025"), (-7.25e-5, "-7.25e-05"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"),
    ])
    func goFormat(value: Double, text: String) {
        #expect(PrometheusFloat.text(value) == text)
    }

    /// Prometheus's `labels.FormatOpenMetricsFloat`, the form of `le` in remote write.
    @Test(arguments: [
        (0.0, "0.0"), (-0.0, "0.0"), (1.0, "1.0"), (-1.0, "-1.0"), (4.0, "4.0"), (2.5, "2.5"), (100000.0, "100000.0"),
        (1e6, "1e+06"), (0.00001, "1e-05"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"),
    ])
    func openMetricsFormat(value: Double, text: String) {
        #expect(PrometheusFloat.openMetricsText(value) == text)
    }

    @Test func shortestTextRoundTrips() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Double(bitPattern: state >> 1)
            guard value.isFinite else { continue }
            let text = PrometheusFloat.text(value)
            #expect(Double(text) == value, "\(value) written \(text)")
            #expect(text.count <= value.description.count + 4)
        }
    }
}
