public import ProtobufWire

/// Builds an OTLP `ExportMetricsServiceRequest` straight into a buffer, data point by data point,
/// with no intermediate objects. Into a reused buffer it allocates nothing.
///
/// ```swift
/// OTLPMetricsBuilder.append(to: &buffer) { metrics in
///     metrics.resourceMetrics(resource: { $0.attribute("service.name", "checkout") }) { resource in
///         resource.scopeMetrics(name: "swift-rum") { scope in
///             scope.histogram(name: "web_vitals_lcp", unit: "ms", temporality: .delta) { points in
///                 points.dataPoint(timeUnixNano: now, count: 3, sum: 5120, bucketCounts: counts, explicitBounds: bounds) {
///                     $0.attribute("page", "/cart")
///                 }
///             }
///         }
///     }
/// }
/// ```
public struct OTLPMetricsBuilder: OTLPMessageWriting {
    /// The writer of the request.
    public var writer: ProtobufWriter

    /// A builder that appends to `writer`'s buffer.
    public init(writer: ProtobufWriter = ProtobufWriter()) {
        self.writer = writer
    }

    /// Runs `body` with a builder that appends a request to `buffer`, without copying the buffer.
    public static func append(to buffer: inout ContiguousArray<UInt8>, _ body: (inout OTLPMetricsBuilder) -> Void) {
        ProtobufWriter.append(to: &buffer) { $0.with(OTLPMetricsBuilder.self, body) }
    }

    /// Appends the metrics of one resource (`ResourceMetrics`): `resource` writes the resource's
    /// attributes, `body` its scopes.
    public mutating func resourceMetrics(
        schemaURL: String = "", resource: (inout OTLPResourceWriter) -> Void, _ body: (inout OTLPResourceMetricsWriter) -> Void
    ) {
        writer.writeMessage(field: 1) { resourceMetrics in
            resourceMetrics.writeMessage(field: 1) { $0.with(OTLPResourceWriter.self, resource) }
            resourceMetrics.with(OTLPResourceMetricsWriter.self, body)
            resourceMetrics.writeStringUnlessEmpty(field: 3, schemaURL)
        }
    }
}

/// Writes the scopes of a `ResourceMetrics`.
public struct OTLPResourceMetricsWriter: OTLPMessageWriting {
    /// The writer of the resource's metrics.
    public var writer: ProtobufWriter
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }

    /// Appends the metrics of one instrumentation scope (`ScopeMetrics`).
    public mutating func scopeMetrics(
        name: String, version: String = "", schemaURL: String = "", _ body: (inout OTLPScopeMetricsWriter) -> Void
    ) {
        writer.writeMessage(field: 2) { scopeMetrics in
            scopeMetrics.writeMessage(field: 1) { scope in
                scope.writeStringUnlessEmpty(field: 1, name)
                scope.writeStringUnlessEmpty(field: 2, version)
            }
            scopeMetrics.with(OTLPScopeMetricsWriter.self, body)
            scopeMetrics.writeStringUnlessEmpty(field: 3, schemaURL)
        }
    }
}

/// Writes the metrics of a `ScopeMetrics`.
public struct OTLPScopeMetricsWriter: OTLPMessageWriting {
    /// The writer of the scope's metrics.
    public var writer: ProtobufWriter
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }

    /// Writes a `Metric` whose data message (field `dataField`) holds the points that `points` writes
    /// and then the fields that `trailer` writes.
    private mutating func metric<Points: OTLPMessageWriting>(
        name: String, description: String, unit: String, dataField: Int, _: Points.Type,
        _ points: (inout Points) -> Void, trailer: (inout ProtobufWriter) -> Void = { _ in }
    ) {
        writer.writeMessage(field: 2) { metric in
            metric.writeStringUnlessEmpty(field: 1, name)
            metric.writeStringUnlessEmpty(field: 2, description)
            metric.writeStringUnlessEmpty(field: 3, unit)
            metric.writeMessage(field: dataField) { data in
                data.with(Points.self, points)
                trailer(&data)
            }
        }
    }

    /// Appends a gauge.
    public mutating func gauge(
        name: String, description: String = "", unit: String = "", _ points: (inout OTLPNumberDataPointsWriter) -> Void
    ) {
        metric(name: name, description: description, unit: unit, dataField: 5, OTLPNumberDataPointsWriter.self, points)
    }

    /// Appends a sum.
    public mutating func sum(
        name: String, description: String = "", unit: String = "", temporality: OTLPAggregationTemporality,
        isMonotonic: Bool, _ points: (inout OTLPNumberDataPointsWriter) -> Void
    ) {
        metric(name: name, description: description, unit: unit, dataField: 7, OTLPNumberDataPointsWriter.self, points) { sum in
            sum.writeInt32UnlessZero(field: 2, temporality.rawValue)
            if isMonotonic { sum.writeBool(field: 3, true) }
        }
    }

    /// Appends a histogram with explicit bucket bounds.
    public mutating func histogram(
        name: String, description: String = "", unit: String = "", temporality: OTLPAggregationTemporality,
        _ points: (inout OTLPHistogramDataPointsWriter) -> Void
    ) {
        metric(name: name, description: description, unit: unit, dataField: 9, OTLPHistogramDataPointsWriter.self, points) {
            $0.writeInt32UnlessZero(field: 2, temporality.rawValue)
        }
    }

    /// Appends a histogram with exponential buckets.
    public mutating func exponentialHistogram(
        name: String, description: String = "", unit: String = "", temporality: OTLPAggregationTemporality,
        _ points: (inout OTLPExponentialHistogramDataPointsWriter) -> Void
    ) {
        metric(
            name: name, description: description, unit: unit, dataField: 10, OTLPExponentialHistogramDataPointsWriter.self,
            points
        ) { $0.writeInt32UnlessZero(field: 2, temporality.rawValue) }
    }

    /// Appends a summary.
    public mutating func summary(
        name: String, description: String = "", unit: String = "", _ points: (inout OTLPSummaryDataPointsWriter) -> Void
    ) {
        metric(name: name, description: description, unit: unit, dataField: 11, OTLPSummaryDataPointsWriter.self, points)
    }

    /// Appends `metric`.
    public mutating func metric(_ metric: OTLPMetric) {
        writer.writeMessage(field: 2, metric)
    }
}

/// Writes the data points of a gauge or sum.
public struct OTLPNumberDataPointsWriter: OTLPMessageWriting {
    /// The writer of the gauge or sum.
    public var writer: ProtobufWriter
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }

    /// Appends a data point; `body` writes its attributes.
    public mutating func dataPoint(
        startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64, value: OTLPNumberValue?, flags: UInt32 = 0,
        exemplars: [OTLPExemplar] = [], _ body: (inout OTLPNumberDataPointWriter) -> Void = { _ in }
    ) {
        writer.writeMessage(field: 1) { point in
            OTLPNumberDataPointsWriter.writeFields(
                to: &point, startTimeUnixNano: startTimeUnixNano, timeUnixNano: timeUnixNano, value: value, flags: flags,
                exemplars: exemplars, body)
        }
    }

    /// Writes the fields of a `NumberDataPoint`.
    static func writeFields(
        to point: inout ProtobufWriter, startTimeUnixNano: UInt64, timeUnixNano: UInt64, value: OTLPNumberValue?,
        flags: UInt32, exemplars: [OTLPExemplar], _ body: (inout OTLPNumberDataPointWriter) -> Void
    ) {
        point.writeFixed64UnlessZero(field: 2, startTimeUnixNano)
        point.writeFixed64UnlessZero(field: 3, timeUnixNano)
        point.writeNumberValue(value, doubleField: 4)
        point.writeMessages(field: 5, exemplars)
        point.with(OTLPNumberDataPointWriter.self, body)
        point.writeVarintUnlessZero(field: 8, UInt64(flags))
    }
}

/// Writes the attributes of a `NumberDataPoint`.
public struct OTLPNumberDataPointWriter: OTLPMessageWriting, OTLPAttributeWriting {
    /// The writer of the point.
    public var writer: ProtobufWriter
    /// `NumberDataPoint.attributes`.
    public static var attributesField: Int { 7 }
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }
}

/// Writes the data points of a histogram.
public struct OTLPHistogramDataPointsWriter: OTLPMessageWriting {
    /// The writer of the histogram.
    public var writer: ProtobufWriter
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }

    /// Appends a data point; `body` writes its attributes. `bucketCounts` has one more element than
    /// `explicitBounds`, or none.
    public mutating func dataPoint(
        startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64, count: UInt64, sum: Double? = nil,
        bucketCounts: some Collection<UInt64>, explicitBounds: some Collection<Double>, min: Double? = nil,
        max: Double? = nil, flags: UInt32 = 0, exemplars: [OTLPExemplar] = [],
        _ body: (inout OTLPHistogramDataPointWriter) -> Void = { _ in }
    ) {
        writer.writeMessage(field: 1) { point in
            OTLPHistogramDataPointsWriter.writeFields(
                to: &point, startTimeUnixNano: startTimeUnixNano, timeUnixNano: timeUnixNano, count: count, sum: sum,
                bucketCounts: bucketCounts, explicitBounds: explicitBounds, min: min, max: max, flags: flags,
                exemplars: exemplars, body)
        }
    }

    /// Writes the fields of a `HistogramDataPoint`.
    static func writeFields(
        to point: inout ProtobufWriter, startTimeUnixNano: UInt64, timeUnixNano: UInt64, count: UInt64, sum: Double?,
        bucketCounts: some Collection<UInt64>, explicitBounds: some Collection<Double>, min: Double?, max: Double?,
        flags: UInt32, exemplars: [OTLPExemplar], _ body: (inout OTLPHistogramDataPointWriter) -> Void
    ) {
        point.writeFixed64UnlessZero(field: 2, startTimeUnixNano)
        point.writeFixed64UnlessZero(field: 3, timeUnixNano)
        point.writeFixed64UnlessZero(field: 4, count)
        if let sum { point.writeDouble(field: 5, sum) }
        point.writePackedFixed64(field: 6, bucketCounts)
        point.writePackedDoubles(field: 7, explicitBounds)
        point.writeMessages(field: 8, exemplars)
        point.with(OTLPHistogramDataPointWriter.self, body)
        point.writeVarintUnlessZero(field: 10, UInt64(flags))
        if let min { point.writeDouble(field: 11, min) }
        if let max { point.writeDouble(field: 12, max) }
    }
}

/// Writes the attributes of a `HistogramDataPoint`.
public struct OTLPHistogramDataPointWriter: OTLPMessageWriting, OTLPAttributeWriting {
    /// The writer of the point.
    public var writer: ProtobufWriter
    /// `HistogramDataPoint.attributes`.
    public static var attributesField: Int { 9 }
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }
}

/// Writes the data points of an exponential histogram.
public struct OTLPExponentialHistogramDataPointsWriter: OTLPMessageWriting {
    /// The writer of the histogram.
    public var writer: ProtobufWriter
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }

    /// Appends a data point; `body` writes its attributes.
    public mutating func dataPoint(
        startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64, count: UInt64, sum: Double? = nil, scale: Int32,
        zeroCount: UInt64 = 0, positive: OTLPExponentialHistogramDataPoint.Buckets? = nil,
        negative: OTLPExponentialHistogramDataPoint.Buckets? = nil, flags: UInt32 = 0, exemplars: [OTLPExemplar] = [],
        min: Double? = nil, max: Double? = nil, zeroThreshold: Double = 0,
        _ body: (inout OTLPExponentialHistogramDataPointWriter) -> Void = { _ in }
    ) {
        writer.writeMessage(field: 1) { point in
            OTLPExponentialHistogramDataPointsWriter.writeFields(
                to: &point, startTimeUnixNano: startTimeUnixNano, timeUnixNano: timeUnixNano, count: count, sum: sum,
                scale: scale, zeroCount: zeroCount, positive: positive, negative: negative, flags: flags,
                exemplars: exemplars, min: min, max: max, zeroThreshold: zeroThreshold, body)
        }
    }

    /// Writes the fields of an `ExponentialHistogramDataPoint`.
    static func writeFields(
        to point: inout ProtobufWriter, startTimeUnixNano: UInt64, timeUnixNano: UInt64, count: UInt64, sum: Double?,
        scale: Int32, zeroCount: UInt64, positive: OTLPExponentialHistogramDataPoint.Buckets?,
        negative: OTLPExponentialHistogramDataPoint.Buckets?, flags: UInt32, exemplars: [OTLPExemplar], min: Double?,
        max: Double?, zeroThreshold: Double, _ body: (inout OTLPExponentialHistogramDataPointWriter) -> Void
    ) {
        point.with(OTLPExponentialHistogramDataPointWriter.self, body)
        point.writeFixed64UnlessZero(field: 2, startTimeUnixNano)
        point.writeFixed64UnlessZero(field: 3, timeUnixNano)
        point.writeFixed64UnlessZero(field: 4, count)
        if let sum { point.writeDouble(field: 5, sum) }
        if scale != 0 { point.writeSInt32(field: 6, scale) }
        point.writeFixed64UnlessZero(field: 7, zeroCount)
        if let positive { point.writeMessage(field: 8, positive) }
        if let negative { point.writeMessage(field: 9, negative) }
        point.writeVarintUnlessZero(field: 10, UInt64(flags))
        point.writeMessages(field: 11, exemplars)
        if let min { point.writeDouble(field: 12, min) }
        if let max { point.writeDouble(field: 13, max) }
        point.writeDoubleUnlessZero(field: 14, zeroThreshold)
    }
}

/// Writes the attributes of an `ExponentialHistogramDataPoint`.
public struct OTLPExponentialHistogramDataPointWriter: OTLPMessageWriting, OTLPAttributeWriting {
    /// The writer of the point.
    public var writer: ProtobufWriter
    /// `ExponentialHistogramDataPoint.attributes`.
    public static var attributesField: Int { 1 }
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }
}

/// Writes the data points of a summary.
public struct OTLPSummaryDataPointsWriter: OTLPMessageWriting {
    /// The writer of the summary.
    public var writer: ProtobufWriter
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }

    /// Appends a data point; `body` writes its attributes.
    public mutating func dataPoint(
        startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64, count: UInt64, sum: Double,
        quantileValues: [OTLPSummaryDataPoint.ValueAtQuantile] = [], flags: UInt32 = 0,
        _ body: (inout OTLPSummaryDataPointWriter) -> Void = { _ in }
    ) {
        writer.writeMessage(field: 1) { point in
            OTLPSummaryDataPointsWriter.writeFields(
                to: &point, startTimeUnixNano: startTimeUnixNano, timeUnixNano: timeUnixNano, count: count, sum: sum,
                quantileValues: quantileValues, flags: flags, body)
        }
    }

    /// Writes the fields of a `SummaryDataPoint`.
    static func writeFields(
        to point: inout ProtobufWriter, startTimeUnixNano: UInt64, timeUnixNano: UInt64, count: UInt64, sum: Double,
        quantileValues: [OTLPSummaryDataPoint.ValueAtQuantile], flags: UInt32,
        _ body: (inout OTLPSummaryDataPointWriter) -> Void
    ) {
        point.writeFixed64UnlessZero(field: 2, startTimeUnixNano)
        point.writeFixed64UnlessZero(field: 3, timeUnixNano)
        point.writeFixed64UnlessZero(field: 4, count)
        point.writeDoubleUnlessZero(field: 5, sum)
        point.writeMessages(field: 6, quantileValues)
        point.with(OTLPSummaryDataPointWriter.self, body)
        point.writeVarintUnlessZero(field: 8, UInt64(flags))
    }
}

/// Writes the attributes of a `SummaryDataPoint`.
public struct OTLPSummaryDataPointWriter: OTLPMessageWriting, OTLPAttributeWriting {
    /// The writer of the point.
    public var writer: ProtobufWriter
    /// `SummaryDataPoint.attributes`.
    public static var attributesField: Int { 7 }
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }
}
