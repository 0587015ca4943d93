import FaroCollector
import FaroModel

/// Payloads built in code for the web-vitals tests, and readers of what the histograms write.
enum WebVitalsTestPayloads {
    /// A payload with one measurement of `type` holding `values`, from `app` in `environment` at `url`.
    static func payload(
        type: String = "web-vitals", _ values: FaroMap<Double>, app: String = "shop",
        environment: String = "production", url: String = "https://shop.example.com/"
    ) -> FaroPayload {
        FaroPayload(
            measurements: [FaroMeasurement(type: type, values: values)],
            meta: FaroMeta(app: FaroApp(name: app, environment: environment), page: FaroPage(url: url)))
    }

    /// The exposition of `histograms` as a string.
    static func exposition(of histograms: WebVitalsHistograms) -> String {
        var bytes = ContiguousArray<UInt8>()
        histograms.appendExposition(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The `_bucket`, `_sum` and `_count` lines of `metric` in the exposition, without comments.
    static func sampleLines(of histograms: WebVitalsHistograms, metric: String) -> [String] {
        exposition(of: histograms).split(separator: "\n").map(String.init).filter { $0.hasPrefix(metric + "_") }
    }
}
