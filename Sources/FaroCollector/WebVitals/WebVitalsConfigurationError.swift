/// Why a `WebVitalsConfiguration` cannot be used, naming what is wrong.
public enum WebVitalsConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A metric name that Prometheus does not accept (it must match `[a-zA-Z_:][a-zA-Z0-9_:]*`).
    case invalidMetricName(String)
    /// Two histograms with the same metric name.
    case duplicateMetricName(String)
    /// Two histograms that read the same measurement value.
    case duplicateValue(measurementType: String, valueName: String)
    /// Bucket bounds that are not finite and strictly increasing, or none at all.
    case invalidBucketBounds(metricName: String)
    /// A unit divisor that is not finite and positive.
    case invalidUnitDivisor(metricName: String)
    /// A route pattern that does not start with `/`, or has `*` anywhere but as its last segment.
    case invalidRoutePattern(String)
    /// A bound on series per metric below 1.
    case invalidMaximumSeriesPerMetric(Int)
    /// A bound on the length of label values below 1.
    case invalidMaximumLabelValueLength(Int)

    /// A sentence that says what is wrong.
    public var description: String {
        switch self {
        case .invalidMetricName(let name): "invalid metric name \"\(name)\": it must match [a-zA-Z_:][a-zA-Z0-9_:]*"
        case .duplicateMetricName(let name): "metric name \"\(name)\" is used by two histograms"
        case .duplicateValue(let type, let name): "measurement value \(type).\(name) is observed by two histograms"
        case .invalidBucketBounds(let name): "bucket bounds of \(name) must be finite, strictly increasing and at least one"
        case .invalidUnitDivisor(let name): "unit divisor of \(name) must be finite and positive"
        case .invalidRoutePattern(let pattern): "invalid route pattern \"\(pattern)\": it must start with / and have * only as its last segment"
        case .invalidMaximumSeriesPerMetric(let maximum): "maximum series per metric must be at least 1, not \(maximum)"
        case .invalidMaximumLabelValueLength(let maximum): "maximum label value length must be at least 1, not \(maximum)"
        }
    }
}
