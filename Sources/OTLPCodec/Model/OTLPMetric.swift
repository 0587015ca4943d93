/// One metric (`Metric`): its name, description, unit and data points of one kind.
public struct OTLPMetric: Sendable, Hashable {
    /// The data of a metric (the `data` oneof).
    public enum Data: Sendable, Hashable {
        /// Sampled values (`Gauge`).
        case gauge(dataPoints: [OTLPNumberDataPoint])
        /// Sums over time (`Sum`).
        case sum(dataPoints: [OTLPNumberDataPoint], aggregationTemporality: OTLPAggregationTemporality, isMonotonic: Bool)
        /// Distributions over explicit bucket bounds (`Histogram`).
        case histogram(dataPoints: [OTLPHistogramDataPoint], aggregationTemporality: OTLPAggregationTemporality)
        /// Distributions over exponential buckets (`ExponentialHistogram`).
        case exponentialHistogram(
            dataPoints: [OTLPExponentialHistogramDataPoint], aggregationTemporality: OTLPAggregationTemporality)
        /// Quantiles (`Summary`, for compatibility with Prometheus and StatsD).
        case summary(dataPoints: [OTLPSummaryDataPoint])
    }

    /// The metric name.
    public var name: String
    /// A description of the metric.
    public var description: String
    /// The unit, in UCUM (`ms`, `By`, `1`).
    public var unit: String
    /// The data; `nil` when no kind is set.
    public var data: Data?
    /// Further metadata about the metric.
    public var metadata: [OTLPKeyValue]

    /// Creates a metric.
    public init(name: String, description: String = "", unit: String = "", data: Data?, metadata: [OTLPKeyValue] = []) {
        self.name = name
        self.description = description
        self.unit = unit
        self.data = data
        self.metadata = metadata
    }
}

/// How a sum or histogram aggregates over time (`AggregationTemporality`); values outside the known ones are kept.
public struct OTLPAggregationTemporality: RawRepresentable, Sendable, Hashable {
    /// The wire value.
    public var rawValue: Int32
    /// Creates a temporality from its wire value.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// `AGGREGATION_TEMPORALITY_UNSPECIFIED`.
    public static let unspecified = OTLPAggregationTemporality(rawValue: 0)
    /// `AGGREGATION_TEMPORALITY_DELTA`: each point covers the time since the previous one.
    public static let delta = OTLPAggregationTemporality(rawValue: 1)
    /// `AGGREGATION_TEMPORALITY_CUMULATIVE`: each point covers the time since a fixed start.
    public static let cumulative = OTLPAggregationTemporality(rawValue: 2)
}

/// A measured value (the `value` oneof of number data points and exemplars).
public enum OTLPNumberValue: Sendable, Hashable {
    /// `as_double`.
    case double(Double)
    /// `as_int` (an `sfixed64`).
    case int(Int64)
}
