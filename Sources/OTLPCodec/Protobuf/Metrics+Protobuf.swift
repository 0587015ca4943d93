import ProtobufWire

// metrics.proto and metrics_service.proto.

extension OTLPMetricsData: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            if field.number == 1 {
                resourceMetrics.append(try field.decode(at: "resourceMetrics", index: resourceMetrics.count, strings: &strings))
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeMessages(field: 1, resourceMetrics)
    }
}

extension OTLPResourceMetrics: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            switch field.number {
            case 1: resource = try field.decode(merging: resource, at: "resource", strings: &strings)
            case 2: scopeMetrics.append(try field.decode(at: "scopeMetrics", index: scopeMetrics.count, strings: &strings))
            case 3: schemaURL = try field.decodeString(at: "schemaUrl", strings: &strings)
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        if let resource { writer.writeMessage(field: 1, resource) }
        writer.writeMessages(field: 2, scopeMetrics)
        writer.writeStringUnlessEmpty(field: 3, schemaURL)
    }
}

extension OTLPScopeMetrics: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            switch field.number {
            case 1: scope = try field.decode(merging: scope, at: "scope", strings: &strings)
            case 2: metrics.append(try field.decode(at: "metrics", index: metrics.count, strings: &strings))
            case 3: schemaURL = try field.decodeString(at: "schemaUrl", strings: &strings)
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        if let scope { writer.writeMessage(field: 1, scope) }
        writer.writeMessages(field: 2, metrics)
        writer.writeStringUnlessEmpty(field: 3, schemaURL)
    }
}

extension OTLPMetric: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(name: "", data: nil)
        while let field = try reader.next() {
            switch field.number {
            case 1: name = try field.decodeString(at: "name", strings: &strings)
            case 2: description = try field.decodeString(at: "description", strings: &strings)
            case 3: unit = try field.decodeString(at: "unit", strings: &strings)
            // A oneof member that occurs again merges into the earlier occurrence; another member replaces it.
            case 5:
                let earlier: DataPoints<OTLPNumberDataPoint>? = if case .gauge(let points) = data { DataPoints(points: points) } else { nil }
                data = .gauge(dataPoints: try field.decode(merging: earlier, at: "gauge", strings: &strings).points)
            case 7:
                let earlier: DataPoints<OTLPNumberDataPoint>? =
                    if case .sum(let points, let temporality, let isMonotonic) = data {
                        DataPoints(points: points, temporality: temporality, isMonotonic: isMonotonic)
                    } else { nil }
                let sum = try field.decode(merging: earlier, at: "sum", strings: &strings)
                data = .sum(dataPoints: sum.points, aggregationTemporality: sum.temporality, isMonotonic: sum.isMonotonic)
            case 9:
                let earlier: DataPoints<OTLPHistogramDataPoint>? =
                    if case .histogram(let points, let temporality) = data { DataPoints(points: points, temporality: temporality) } else { nil }
                let histogram = try field.decode(merging: earlier, at: "histogram", strings: &strings)
                data = .histogram(dataPoints: histogram.points, aggregationTemporality: histogram.temporality)
            case 10:
                let earlier: DataPoints<OTLPExponentialHistogramDataPoint>? =
                    if case .exponentialHistogram(let points, let temporality) = data {
                        DataPoints(points: points, temporality: temporality)
                    } else { nil }
                let histogram = try field.decode(merging: earlier, at: "exponentialHistogram", strings: &strings)
                data = .exponentialHistogram(dataPoints: histogram.points, aggregationTemporality: histogram.temporality)
            case 11:
                let earlier: DataPoints<OTLPSummaryDataPoint>? = if case .summary(let points) = data { DataPoints(points: points) } else { nil }
                data = .summary(dataPoints: try field.decode(merging: earlier, at: "summary", strings: &strings).points)
            case 12: metadata.append(try field.decode(at: "metadata", index: metadata.count, strings: &strings))
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeStringUnlessEmpty(field: 1, name)
        writer.writeStringUnlessEmpty(field: 2, description)
        writer.writeStringUnlessEmpty(field: 3, unit)
        switch data {
        case nil: break
        case .gauge(let points):
            writer.writeMessage(field: 5, DataPoints(points: points))
        case .sum(let points, let temporality, let isMonotonic):
            writer.writeMessage(field: 7, DataPoints(points: points, temporality: temporality, isMonotonic: isMonotonic))
        case .histogram(let points, let temporality):
            writer.writeMessage(field: 9, DataPoints(points: points, temporality: temporality))
        case .exponentialHistogram(let points, let temporality):
            writer.writeMessage(field: 10, DataPoints(points: points, temporality: temporality))
        case .summary(let points):
            writer.writeMessage(field: 11, DataPoints(points: points))
        }
        writer.writeMessages(field: 12, metadata)
    }
}

/// `Gauge`, `Sum`, `Histogram`, `ExponentialHistogram` and `Summary`: data points (field 1),
/// and for some an aggregation temporality (2) and monotonicity (3).
struct DataPoints<Point: ProtobufDecodable & ProtobufEncodable>: ProtobufDecodable, ProtobufEncodable {
    var points: [Point]
    var temporality: OTLPAggregationTemporality
    var isMonotonic: Bool

    init(points: [Point], temporality: OTLPAggregationTemporality = .unspecified, isMonotonic: Bool = false) {
        self.points = points
        self.temporality = temporality
        self.isMonotonic = isMonotonic
    }

    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(points: [])
        while let field = try reader.next() {
            switch field.number {
            case 1: points.append(try field.decode(at: "dataPoints", index: points.count, strings: &strings))
            case 2: temporality = OTLPAggregationTemporality(rawValue: try field.decodeInt32())
            case 3: isMonotonic = try field.decodeBool()
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeMessages(field: 1, points)
        writer.writeInt32UnlessZero(field: 2, temporality.rawValue)
        if isMonotonic { writer.writeBool(field: 3, true) }
    }
}

extension ProtobufWriter {
    /// Writes a `double` field unless it is +0 (proto3 leaves out a field whose bits are zero).
    @inline(__always)
    mutating func writeDoubleUnlessZero(field: Int, _ value: Double) {
        if value.bitPattern != 0 { writeDouble(field: field, value) }
    }

    /// Writes the `as_double` (`doubleField`) or `as_int` (6) member of a number value, if set.
    @inline(__always)
    mutating func writeNumberValue(_ value: OTLPNumberValue?, doubleField: Int) {
        switch value {
        case nil: break
        case .double(let number): writeDouble(field: doubleField, number)
        case .int(let number): writeSFixed64(field: 6, number)
        }
    }
}

extension OTLPNumberDataPoint: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(timeUnixNano: 0, value: nil)
        while let field = try reader.next() {
            switch field.number {
            case 2: startTimeUnixNano = try field.decodeFixed64()
            case 3: timeUnixNano = try field.decodeFixed64()
            case 4: value = .double(try field.decodeDouble())
            case 5: exemplars.append(try field.decode(at: "exemplars", index: exemplars.count, strings: &strings))
            case 6: value = .int(try field.decodeSfixed64())
            case 7: attributes.appendAttribute(try field.decode(at: "attributes", index: attributes.count, strings: &strings))
            case 8: flags = try field.decodeUint32()
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        OTLPNumberDataPointsWriter.writeFields(
            to: &writer, startTimeUnixNano: startTimeUnixNano, timeUnixNano: timeUnixNano, value: value, flags: flags,
            exemplars: exemplars
        ) { $0.attributes(attributes) }
    }
}

extension OTLPHistogramDataPoint: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(timeUnixNano: 0, count: 0)
        while let field = try reader.next() {
            switch field.number {
            case 2: startTimeUnixNano = try field.decodeFixed64()
            case 3: timeUnixNano = try field.decodeFixed64()
            case 4: count = try field.decodeFixed64()
            case 5: sum = try field.decodeDouble()
            case 6: try wire { () throws(ProtobufWireError) in try field.forEachFixed64 { bucketCounts.append($0) } }
            case 7:
                try wire { () throws(ProtobufWireError) in try field.forEachFixed64 { explicitBounds.append(Double(bitPattern: $0)) } }
            case 8: exemplars.append(try field.decode(at: "exemplars", index: exemplars.count, strings: &strings))
            case 9: attributes.appendAttribute(try field.decode(at: "attributes", index: attributes.count, strings: &strings))
            case 10: flags = try field.decodeUint32()
            case 11: min = try field.decodeDouble()
            case 12: max = try field.decodeDouble()
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        OTLPHistogramDataPointsWriter.writeFields(
            to: &writer, startTimeUnixNano: startTimeUnixNano, timeUnixNano: timeUnixNano, count: count, sum: sum,
            bucketCounts: bucketCounts, explicitBounds: explicitBounds, min: min, max: max, flags: flags, exemplars: exemplars
        ) { $0.attributes(attributes) }
    }
}

extension OTLPExponentialHistogramDataPoint: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(timeUnixNano: 0, count: 0, scale: 0)
        while let field = try reader.next() {
            switch field.number {
            case 1: attributes.appendAttribute(try field.decode(at: "attributes", index: attributes.count, strings: &strings))
            case 2: startTimeUnixNano = try field.decodeFixed64()
            case 3: timeUnixNano = try field.decodeFixed64()
            case 4: count = try field.decodeFixed64()
            case 5: sum = try field.decodeDouble()
            case 6: scale = try field.decodeSint32()
            case 7: zeroCount = try field.decodeFixed64()
            case 8: positive = try field.decode(merging: positive, at: "positive", strings: &strings)
            case 9: negative = try field.decode(merging: negative, at: "negative", strings: &strings)
            case 10: flags = try field.decodeUint32()
            case 11: exemplars.append(try field.decode(at: "exemplars", index: exemplars.count, strings: &strings))
            case 12: min = try field.decodeDouble()
            case 13: max = try field.decodeDouble()
            case 14: zeroThreshold = try field.decodeDouble()
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        OTLPExponentialHistogramDataPointsWriter.writeFields(
            to: &writer, startTimeUnixNano: startTimeUnixNano, timeUnixNano: timeUnixNano, count: count, sum: sum,
            scale: scale, zeroCount: zeroCount, positive: positive, negative: negative, flags: flags, exemplars: exemplars,
            min: min, max: max, zeroThreshold: zeroThreshold
        ) { $0.attributes(attributes) }
    }
}

extension OTLPExponentialHistogramDataPoint.Buckets: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            switch field.number {
            case 1: offset = try field.decodeSint32()
            case 2: try wire { () throws(ProtobufWireError) in try field.forEachVarint { bucketCounts.append($0) } }
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        if offset != 0 { writer.writeSInt32(field: 1, offset) }
        writer.writePackedVarints(field: 2, bucketCounts)
    }
}

extension OTLPSummaryDataPoint: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(timeUnixNano: 0, count: 0, sum: 0)
        while let field = try reader.next() {
            switch field.number {
            case 2: startTimeUnixNano = try field.decodeFixed64()
            case 3: timeUnixNano = try field.decodeFixed64()
            case 4: count = try field.decodeFixed64()
            case 5: sum = try field.decodeDouble()
            case 6: quantileValues.append(try field.decode(at: "quantileValues", index: quantileValues.count, strings: &strings))
            case 7: attributes.appendAttribute(try field.decode(at: "attributes", index: attributes.count, strings: &strings))
            case 8: flags = try field.decodeUint32()
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        OTLPSummaryDataPointsWriter.writeFields(
            to: &writer, startTimeUnixNano: startTimeUnixNano, timeUnixNano: timeUnixNano, count: count, sum: sum,
            quantileValues: quantileValues, flags: flags
        ) { $0.attributes(attributes) }
    }
}

extension OTLPSummaryDataPoint.ValueAtQuantile: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(quantile: 0, value: 0)
        while let field = try reader.next() {
            switch field.number {
            case 1: quantile = try field.decodeDouble()
            case 2: value = try field.decodeDouble()
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeDoubleUnlessZero(field: 1, quantile)
        writer.writeDoubleUnlessZero(field: 2, value)
    }
}

extension OTLPExemplar: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(timeUnixNano: 0, value: nil)
        while let field = try reader.next() {
            switch field.number {
            case 2: timeUnixNano = try field.decodeFixed64()
            case 3: value = .double(try field.decodeDouble())
            case 4: spanID = try field.decodeSpanID(at: "spanId")
            case 5: traceID = try field.decodeTraceID(at: "traceId")
            case 6: value = .int(try field.decodeSfixed64())
            case 7: filteredAttributes.append(try field.decode(at: "filteredAttributes", index: filteredAttributes.count, strings: &strings))
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeFixed64UnlessZero(field: 2, timeUnixNano)
        writer.writeNumberValue(value, doubleField: 3)
        writer.writeSpanID(field: 4, spanID)
        writer.writeTraceID(field: 5, traceID)
        writer.writeMessages(field: 7, filteredAttributes)
    }
}
