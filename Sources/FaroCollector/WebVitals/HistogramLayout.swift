/// What never changes about one histogram metric once the collector starts: its names, its
/// bounds and their `le` texts, its unit.
struct HistogramLayout: Sendable {
    /// The configuration it comes from.
    let definition: WebVitalHistogram
    /// The bucket bounds, finite, strictly increasing.
    let bounds: ContiguousArray<Double>
    /// The `le` label value of each bucket in the text exposition, as client_golang writes it
    /// (`1`, `2.5`), the last one `+Inf`.
    let boundLabels: [ContiguousArray<UInt8>]
    /// The `le` label value of each bucket in remote write, as Prometheus 3 stores it after a
    /// scrape (`1.0`, `2.5`), the last one `+Inf`.
    let remoteWriteBoundLabels: [ContiguousArray<UInt8>]
    /// `<name>_bucket`.
    let bucketName: String
    /// `<name>_sum`.
    let sumName: String
    /// `<name>_count`.
    let countName: String

    /// The number of buckets of a series, the `+Inf` bucket included.
    var bucketsPerSeries: Int { bounds.count + 1 }

    /// The layout of `definition`, which must be valid.
    init(_ definition: WebVitalHistogram) {
        self.definition = definition
        bounds = ContiguousArray(definition.bucketBounds)
        boundLabels = (definition.bucketBounds + [Double.infinity]).map { bound in
            var text = ContiguousArray<UInt8>()
            PrometheusFloat.append(bound, to: &text)
            return text
        }
        remoteWriteBoundLabels = (definition.bucketBounds + [Double.infinity]).map { bound in
            var text = ContiguousArray<UInt8>()
            PrometheusFloat.appendOpenMetrics(bound, to: &text)
            return text
        }
        bucketName = definition.metricName + "_bucket"
        sumName = definition.metricName + "_sum"
        countName = definition.metricName + "_count"
    }

    /// Checks a definition, throwing what is wrong with it.
    static func validate(_ definition: WebVitalHistogram) throws(WebVitalsConfigurationError) {
        let name = definition.metricName
        var first = true
        for byte in name.utf8 {
            let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard letter || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || (digit && !first) else {
                throw .invalidMetricName(name)
            }
            first = false
        }
        if first { throw .invalidMetricName(name) }
        let bounds = definition.bucketBounds
        guard !bounds.isEmpty, bounds.allSatisfy(\.isFinite), zip(bounds, bounds.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .invalidBucketBounds(metricName: name)
        }
        guard definition.unitDivisor.isFinite, definition.unitDivisor > 0 else {
            throw .invalidUnitDivisor(metricName: name)
        }
    }
}
