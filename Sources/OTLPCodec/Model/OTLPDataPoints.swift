/// A value of a gauge or sum at a time (`NumberDataPoint`).
public struct OTLPNumberDataPoint: Sendable, Hashable {
    /// The point's attributes.
    public var attributes: [OTLPKeyValue]
    /// The start of the interval of a cumulative or delta sum, in nanoseconds since the Unix epoch.
    public var startTimeUnixNano: UInt64
    /// The time of the point, in nanoseconds since the Unix epoch.
    public var timeUnixNano: UInt64
    /// The value; `nil` when neither is set.
    public var value: OTLPNumberValue?
    /// Example measurements behind the value.
    public var exemplars: [OTLPExemplar]
    /// `DataPointFlags` (bit 0: no recorded value).
    public var flags: UInt32

    /// Creates a point.
    public init(
        attributes: [OTLPKeyValue] = [], startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64, value: OTLPNumberValue?,
        exemplars: [OTLPExemplar] = [], flags: UInt32 = 0
    ) {
        self.attributes = attributes
        self.startTimeUnixNano = startTimeUnixNano
        self.timeUnixNano = timeUnixNano
        self.value = value
        self.exemplars = exemplars
        self.flags = flags
    }
}

/// A distribution over explicit bucket bounds (`HistogramDataPoint`).
public struct OTLPHistogramDataPoint: Sendable, Hashable {
    /// The point's attributes.
    public var attributes: [OTLPKeyValue]
    /// The start of the interval, in nanoseconds since the Unix epoch.
    public var startTimeUnixNano: UInt64
    /// The time of the point, in nanoseconds since the Unix epoch.
    public var timeUnixNano: UInt64
    /// How many values were recorded.
    public var count: UInt64
    /// Their sum, when known.
    public var sum: Double?
    /// How many values fell in each bucket: one more than `explicitBounds`, or none.
    public var bucketCounts: [UInt64]
    /// The upper bounds of the buckets but the last, increasing.
    public var explicitBounds: [Double]
    /// Example measurements.
    public var exemplars: [OTLPExemplar]
    /// `DataPointFlags`.
    public var flags: UInt32
    /// The smallest value recorded, when known.
    public var min: Double?
    /// The largest value recorded, when known.
    public var max: Double?

    /// Creates a point.
    public init(
        attributes: [OTLPKeyValue] = [], startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64, count: UInt64,
        sum: Double? = nil, bucketCounts: [UInt64] = [], explicitBounds: [Double] = [], exemplars: [OTLPExemplar] = [],
        flags: UInt32 = 0, min: Double? = nil, max: Double? = nil
    ) {
        self.attributes = attributes
        self.startTimeUnixNano = startTimeUnixNano
        self.timeUnixNano = timeUnixNano
        self.count = count
        self.sum = sum
        self.bucketCounts = bucketCounts
        self.explicitBounds = explicitBounds
        self.exemplars = exemplars
        self.flags = flags
        self.min = min
        self.max = max
    }
}

/// A distribution over exponentially growing buckets (`ExponentialHistogramDataPoint`).
public struct OTLPExponentialHistogramDataPoint: Sendable, Hashable {
    /// A contiguous run of buckets (`Buckets`).
    public struct Buckets: Sendable, Hashable {
        /// The index of the first bucket.
        public var offset: Int32
        /// The count of each bucket from `offset` on.
        public var bucketCounts: [UInt64]

        /// Creates buckets.
        public init(offset: Int32 = 0, bucketCounts: [UInt64] = []) {
            self.offset = offset
            self.bucketCounts = bucketCounts
        }
    }

    /// The point's attributes.
    public var attributes: [OTLPKeyValue]
    /// The start of the interval, in nanoseconds since the Unix epoch.
    public var startTimeUnixNano: UInt64
    /// The time of the point, in nanoseconds since the Unix epoch.
    public var timeUnixNano: UInt64
    /// How many values were recorded.
    public var count: UInt64
    /// Their sum, when known.
    public var sum: Double?
    /// The resolution: bucket bounds are powers of `2^(2^-scale)`.
    public var scale: Int32
    /// How many values fell in the zero bucket.
    public var zeroCount: UInt64
    /// The buckets of positive values; `nil` when the field is absent.
    public var positive: Buckets?
    /// The buckets of negative values; `nil` when the field is absent.
    public var negative: Buckets?
    /// `DataPointFlags`.
    public var flags: UInt32
    /// Example measurements.
    public var exemplars: [OTLPExemplar]
    /// The smallest value recorded, when known.
    public var min: Double?
    /// The largest value recorded, when known.
    public var max: Double?
    /// The width of the zero bucket.
    public var zeroThreshold: Double

    /// Creates a point.
    public init(
        attributes: [OTLPKeyValue] = [], startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64, count: UInt64,
        sum: Double? = nil, scale: Int32, zeroCount: UInt64 = 0, positive: Buckets? = nil, negative: Buckets? = nil,
        flags: UInt32 = 0, exemplars: [OTLPExemplar] = [], min: Double? = nil, max: Double? = nil, zeroThreshold: Double = 0
    ) {
        self.attributes = attributes
        self.startTimeUnixNano = startTimeUnixNano
        self.timeUnixNano = timeUnixNano
        self.count = count
        self.sum = sum
        self.scale = scale
        self.zeroCount = zeroCount
        self.positive = positive
        self.negative = negative
        self.flags = flags
        self.exemplars = exemplars
        self.min = min
        self.max = max
        self.zeroThreshold = zeroThreshold
    }
}

/// Quantiles of a distribution (`SummaryDataPoint`).
public struct OTLPSummaryDataPoint: Sendable, Hashable {
    /// One quantile (`ValueAtQuantile`).
    public struct ValueAtQuantile: Sendable, Hashable {
        /// The quantile, from 0 to 1.
        public var quantile: Double
        /// The value at that quantile.
        public var value: Double

        /// Creates a quantile.
        public init(quantile: Double, value: Double) {
            self.quantile = quantile
            self.value = value
        }
    }

    /// The point's attributes.
    public var attributes: [OTLPKeyValue]
    /// The start of the interval, in nanoseconds since the Unix epoch.
    public var startTimeUnixNano: UInt64
    /// The time of the point, in nanoseconds since the Unix epoch.
    public var timeUnixNano: UInt64
    /// How many values were recorded.
    public var count: UInt64
    /// Their sum.
    public var sum: Double
    /// The quantiles.
    public var quantileValues: [ValueAtQuantile]
    /// `DataPointFlags`.
    public var flags: UInt32

    /// Creates a point.
    public init(
        attributes: [OTLPKeyValue] = [], startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64, count: UInt64,
        sum: Double, quantileValues: [ValueAtQuantile] = [], flags: UInt32 = 0
    ) {
        self.attributes = attributes
        self.startTimeUnixNano = startTimeUnixNano
        self.timeUnixNano = timeUnixNano
        self.count = count
        self.sum = sum
        self.quantileValues = quantileValues
        self.flags = flags
    }
}

/// A measurement behind an aggregated value, with the trace it was taken in (`Exemplar`).
public struct OTLPExemplar: Sendable, Hashable {
    /// The measurement's attributes that the aggregation dropped.
    public var filteredAttributes: [OTLPKeyValue]
    /// When it was measured, in nanoseconds since the Unix epoch.
    public var timeUnixNano: UInt64
    /// The measured value; `nil` when neither is set.
    public var value: OTLPNumberValue?
    /// The span it was measured in, if any.
    public var spanID: OTLPSpanID?
    /// The trace it was measured in, if any.
    public var traceID: OTLPTraceID?

    /// Creates an exemplar.
    public init(
        filteredAttributes: [OTLPKeyValue] = [], timeUnixNano: UInt64, value: OTLPNumberValue?,
        spanID: OTLPSpanID? = nil, traceID: OTLPTraceID? = nil
    ) {
        self.filteredAttributes = filteredAttributes
        self.timeUnixNano = timeUnixNano
        self.value = value
        self.spanID = spanID
        self.traceID = traceID
    }
}
