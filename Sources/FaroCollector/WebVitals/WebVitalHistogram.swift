/// One measurement value that becomes a Prometheus histogram: which Faro measurement value it
/// reads, the metric it feeds, its unit and its buckets.
///
/// A Faro measurement (`measurements[].type`, `measurements[].values`) carries named numbers;
/// the histogram observes the value named `valueName` of measurements of type
/// `measurementType`, divided by `unitDivisor`. Other values of the same measurement (the
/// SDK's `delta`, for instance) are not observed.
///
/// ```swift
/// let longTasks = WebVitalHistogram(
///     measurementType: "long-task", valueName: "duration",
///     metricName: "faro_long_task_duration_seconds", help: "Long task durations.",
///     unitDivisor: 1000, bucketBounds: [0.05, 0.1, 0.25, 0.5, 1, 2.5])
/// ```
public struct WebVitalHistogram: Sendable, Hashable {
    /// The measurement type that the Faro Web SDK gives web-vitals: `web-vitals`.
    public static let webVitalsMeasurementType = "web-vitals"

    /// The measurement type whose values are read, such as `web-vitals`.
    public var measurementType: String
    /// The name of the value observed, such as `lcp`.
    public var valueName: String
    /// The metric's name, such as `faro_web_vitals_lcp_seconds`; the exposition adds `_bucket`,
    /// `_sum` and `_count`. It must match `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public var metricName: String
    /// The text of the metric's `# HELP` line.
    public var help: String
    /// What a payload value is divided by before it is observed: 1000 for milliseconds
    /// exported in seconds, 1 for unitless values. Dividing (not multiplying by 0.001) keeps a
    /// value of exactly a threshold in milliseconds exactly on the bound in seconds.
    public var unitDivisor: Double
    /// The buckets' upper bounds (inclusive, `le`) after the unit division: finite and strictly
    /// increasing; the `+Inf` bucket is always added.
    public var bucketBounds: [Double]

    /// Creates a histogram definition.
    public init(
        measurementType: String, valueName: String, metricName: String, help: String,
        unitDivisor: Double = 1, bucketBounds: [Double]
    ) {
        self.measurementType = measurementType
        self.valueName = valueName
        self.metricName = metricName
        self.help = help
        self.unitDivisor = unitDivisor
        self.bucketBounds = bucketBounds
    }

    /// A web-vital sent in milliseconds and exported in seconds as `faro_web_vitals_<name>_seconds`.
    static func milliseconds(_ name: String, _ title: String, bounds: [Double]) -> WebVitalHistogram {
        WebVitalHistogram(
            measurementType: webVitalsMeasurementType, valueName: name,
            metricName: "faro_web_vitals_\(name)_seconds",
            help: "\(title) reported by the Faro Web SDK, in seconds.",
            unitDivisor: 1000, bucketBounds: bounds)
    }

    /// Largest Contentful Paint (`lcp`): good up to 2.5 s, poor above 4 s.
    public static let largestContentfulPaint = milliseconds(
        "lcp", "Largest Contentful Paint", bounds: [0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 20])
    /// First Contentful Paint (`fcp`): good up to 1.8 s, poor above 3 s.
    public static let firstContentfulPaint = milliseconds(
        "fcp", "First Contentful Paint", bounds: [0.25, 0.5, 1, 1.5, 1.8, 2.5, 3, 4, 6, 10, 20])
    /// Time to First Byte (`ttfb`): good up to 0.8 s, poor above 1.8 s.
    public static let timeToFirstByte = milliseconds(
        "ttfb", "Time to First Byte", bounds: [0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.4, 1.8, 2.5, 5, 10])
    /// Interaction to Next Paint (`inp`): good up to 0.2 s, poor above 0.5 s.
    public static let interactionToNextPaint = milliseconds(
        "inp", "Interaction to Next Paint", bounds: [0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5])
    /// First Input Delay (`fid`): good up to 0.1 s, poor above 0.3 s.
    public static let firstInputDelay = milliseconds(
        "fid", "First Input Delay", bounds: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5])
    /// Cumulative Layout Shift (`cls`, unitless) as `faro_web_vitals_cls`: good up to 0.1, poor above 0.25.
    public static let cumulativeLayoutShift = WebVitalHistogram(
        measurementType: webVitalsMeasurementType, valueName: "cls", metricName: "faro_web_vitals_cls",
        help: "Cumulative Layout Shift reported by the Faro Web SDK (unitless).",
        unitDivisor: 1, bucketBounds: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.4, 0.6, 1])

    /// The default web-vitals, in exposition order: LCP, FCP, TTFB, INP, FID, CLS.
    public static let defaults: [WebVitalHistogram] = [
        largestContentfulPaint, firstContentfulPaint, timeToFirstByte,
        interactionToNextPaint, firstInputDelay, cumulativeLayoutShift,
    ]
}
