import Foundation
import OTLPCodec

/// The OTLP/JSON that `otlp_decode.py --otlp-json` prints for a message, built from the model by
/// a plain transcription of the proto files' field names and the OTLP/JSON rules (lowerCamelCase
/// names, fields at their default left out, 64-bit integers as strings, enums as integers, ids as
/// hex, other bytes as base64, NaN and infinities as strings). It shares no code with the codec, so
/// that a field written under the wrong number shows up as a difference.
enum OTLPJSONTranscription {
    typealias Object = [String: Any]

    /// `json` canonicalized: parsed and written again with sorted keys, so that two texts compare equal
    /// when their values are equal.
    static func canonical(_ json: Data) throws -> String {
        // `JSONSerialization` reads `-0` as the integer 0; as `-0.0` it keeps the sign, as the transcription does.
        let text = String(decoding: json, as: UTF8.self)
            .replacingOccurrences(of: #"(?<=[:\[,])-0(?=[,}\]])"#, with: "-0.0", options: .regularExpression)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        return try canonical(object: object)
    }

    /// `object` written with sorted keys.
    static func canonical(object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    static func traces(_ data: OTLPTracesData) -> Object {
        ["resourceSpans": data.resourceSpans.map { resourceSpans in
            var object = Object()
            if let resource = resourceSpans.resource { object["resource"] = self.resource(resource) }
            set(&object, "scopeSpans", resourceSpans.scopeSpans.map { scopeSpans in
                var object = Object()
                if let scope = scopeSpans.scope { object["scope"] = self.scope(scope) }
                set(&object, "spans", scopeSpans.spans.map(span))
                set(&object, "schemaUrl", scopeSpans.schemaURL)
                return object
            })
            set(&object, "schemaUrl", resourceSpans.schemaURL)
            return object
        }].filter { !($0.value as! [Any]).isEmpty }
    }

    static func logs(_ data: OTLPLogsData) -> Object {
        ["resourceLogs": data.resourceLogs.map { resourceLogs in
            var object = Object()
            if let resource = resourceLogs.resource { object["resource"] = self.resource(resource) }
            set(&object, "scopeLogs", resourceLogs.scopeLogs.map { scopeLogs in
                var object = Object()
                if let scope = scopeLogs.scope { object["scope"] = self.scope(scope) }
                set(&object, "logRecords", scopeLogs.logRecords.map(logRecord))
                set(&object, "schemaUrl", scopeLogs.schemaURL)
                return object
            })
            set(&object, "schemaUrl", resourceLogs.schemaURL)
            return object
        }].filter { !($0.value as! [Any]).isEmpty }
    }

    static func metrics(_ data: OTLPMetricsData) -> Object {
        ["resourceMetrics": data.resourceMetrics.map { resourceMetrics in
            var object = Object()
            if let resource = resourceMetrics.resource { object["resource"] = self.resource(resource) }
            set(&object, "scopeMetrics", resourceMetrics.scopeMetrics.map { scopeMetrics in
                var object = Object()
                if let scope = scopeMetrics.scope { object["scope"] = self.scope(scope) }
                set(&object, "metrics", scopeMetrics.metrics.map(metric))
                set(&object, "schemaUrl", scopeMetrics.schemaURL)
                return object
            })
            set(&object, "schemaUrl", resourceMetrics.schemaURL)
            return object
        }].filter { !($0.value as! [Any]).isEmpty }
    }

    // MARK: - Fields at their default are left out

    static func set(_ object: inout Object, _ key: String, _ value: String) {
        if !value.isEmpty { object[key] = value }
    }

    static func set(_ object: inout Object, _ key: String, _ value: [Any]) {
        if !value.isEmpty { object[key] = value }
    }

    static func set(_ object: inout Object, _ key: String, uint32 value: UInt32) {
        if value != 0 { object[key] = Int(value) }
    }

    static func set(_ object: inout Object, _ key: String, int32 value: Int32) {
        if value != 0 { object[key] = Int(value) }
    }

    static func set(_ object: inout Object, _ key: String, uint64 value: UInt64) {
        if value != 0 { object[key] = String(value) }
    }

    static func set(_ object: inout Object, _ key: String, double value: Double) {
        if value.bitPattern != 0 { object[key] = double(value) }
    }

    static func double(_ value: Double) -> Any {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return value
    }

    static func set(_ object: inout Object, _ key: String, traceID: OTLPTraceID?) {
        if let traceID { object[key] = traceID.description }
    }

    static func set(_ object: inout Object, _ key: String, spanID: OTLPSpanID?) {
        if let spanID { object[key] = spanID.description }
    }

    // MARK: - common.proto, resource.proto

    static func anyValue(_ value: OTLPAnyValue) -> Object {
        switch value {
        case .empty: return [:]
        case .string(let text): return ["stringValue": text]
        case .bool(let flag): return ["boolValue": flag]
        case .int(let number): return ["intValue": String(number)]
        case .double(let number): return ["doubleValue": double(number)]
        case .bytes(let bytes): return ["bytesValue": Data(bytes).base64EncodedString()]
        case .array(let values):
            var array = Object()
            set(&array, "values", values.map(anyValue))
            return ["arrayValue": array]
        case .keyValueList(let values):
            var list = Object()
            set(&list, "values", values.map(keyValue))
            return ["kvlistValue": list]
        case .stringIndex(let index): return ["stringValueStrindex": Int(index)]
        }
    }

    static func keyValue(_ pair: OTLPKeyValue) -> Object {
        var object = Object()
        set(&object, "key", pair.key)
        if pair.value != .empty { object["value"] = anyValue(pair.value) }
        set(&object, "keyStrindex", int32: pair.keyStringIndex)
        return object
    }

    static func resource(_ resource: OTLPResource) -> Object {
        var object = Object()
        set(&object, "attributes", resource.attributes.map(keyValue))
        set(&object, "droppedAttributesCount", uint32: resource.droppedAttributesCount)
        set(&object, "entityRefs", resource.entityRefs.map { reference in
            var object = Object()
            set(&object, "schemaUrl", reference.schemaURL)
            set(&object, "type", reference.type)
            set(&object, "idKeys", reference.idKeys)
            set(&object, "descriptionKeys", reference.descriptionKeys)
            return object
        })
        return object
    }

    static func scope(_ scope: OTLPInstrumentationScope) -> Object {
        var object = Object()
        set(&object, "name", scope.name)
        set(&object, "version", scope.version)
        set(&object, "attributes", scope.attributes.map(keyValue))
        set(&object, "droppedAttributesCount", uint32: scope.droppedAttributesCount)
        return object
    }

    // MARK: - trace.proto

    static func span(_ span: OTLPSpan) -> Object {
        var object = Object()
        set(&object, "traceId", traceID: span.traceID)
        set(&object, "spanId", spanID: span.spanID)
        set(&object, "traceState", span.traceState)
        set(&object, "parentSpanId", spanID: span.parentSpanID)
        set(&object, "flags", uint32: span.flags)
        set(&object, "name", span.name)
        set(&object, "kind", int32: span.kind.rawValue)
        set(&object, "startTimeUnixNano", uint64: span.startTimeUnixNano)
        set(&object, "endTimeUnixNano", uint64: span.endTimeUnixNano)
        set(&object, "attributes", span.attributes.map(keyValue))
        set(&object, "droppedAttributesCount", uint32: span.droppedAttributesCount)
        set(&object, "events", span.events.map { event in
            var object = Object()
            set(&object, "timeUnixNano", uint64: event.timeUnixNano)
            set(&object, "name", event.name)
            set(&object, "attributes", event.attributes.map(keyValue))
            set(&object, "droppedAttributesCount", uint32: event.droppedAttributesCount)
            return object
        })
        set(&object, "droppedEventsCount", uint32: span.droppedEventsCount)
        set(&object, "links", span.links.map { link in
            var object = Object()
            set(&object, "traceId", traceID: link.traceID)
            set(&object, "spanId", spanID: link.spanID)
            set(&object, "traceState", link.traceState)
            set(&object, "attributes", link.attributes.map(keyValue))
            set(&object, "droppedAttributesCount", uint32: link.droppedAttributesCount)
            set(&object, "flags", uint32: link.flags)
            return object
        })
        set(&object, "droppedLinksCount", uint32: span.droppedLinksCount)
        if let status = span.status {
            var statusObject = Object()
            set(&statusObject, "message", status.message)
            set(&statusObject, "code", int32: status.code.rawValue)
            object["status"] = statusObject
        }
        return object
    }

    // MARK: - logs.proto

    static func logRecord(_ record: OTLPLogRecord) -> Object {
        var object = Object()
        set(&object, "timeUnixNano", uint64: record.timeUnixNano)
        set(&object, "observedTimeUnixNano", uint64: record.observedTimeUnixNano)
        set(&object, "severityNumber", int32: record.severityNumber.rawValue)
        set(&object, "severityText", record.severityText)
        if let body = record.body { object["body"] = anyValue(body) }
        set(&object, "attributes", record.attributes.map(keyValue))
        set(&object, "droppedAttributesCount", uint32: record.droppedAttributesCount)
        set(&object, "flags", uint32: record.flags)
        set(&object, "traceId", traceID: record.traceID)
        set(&object, "spanId", spanID: record.spanID)
        set(&object, "eventName", record.eventName)
        return object
    }

    // MARK: - metrics.proto

    static func metric(_ metric: OTLPMetric) -> Object {
        var object = Object()
        set(&object, "name", metric.name)
        set(&object, "description", metric.description)
        set(&object, "unit", metric.unit)
        switch metric.data {
        case nil: break
        case .gauge(let points):
            var gauge = Object()
            set(&gauge, "dataPoints", points.map(numberDataPoint))
            object["gauge"] = gauge
        case .sum(let points, let temporality, let isMonotonic):
            var sum = Object()
            set(&sum, "dataPoints", points.map(numberDataPoint))
            set(&sum, "aggregationTemporality", int32: temporality.rawValue)
            if isMonotonic { sum["isMonotonic"] = true }
            object["sum"] = sum
        case .histogram(let points, let temporality):
            var histogram = Object()
            set(&histogram, "dataPoints", points.map(histogramDataPoint))
            set(&histogram, "aggregationTemporality", int32: temporality.rawValue)
            object["histogram"] = histogram
        case .exponentialHistogram(let points, let temporality):
            var histogram = Object()
            set(&histogram, "dataPoints", points.map(exponentialHistogramDataPoint))
            set(&histogram, "aggregationTemporality", int32: temporality.rawValue)
            object["exponentialHistogram"] = histogram
        case .summary(let points):
            var summary = Object()
            set(&summary, "dataPoints", points.map(summaryDataPoint))
            object["summary"] = summary
        }
        set(&object, "metadata", metric.metadata.map(keyValue))
        return object
    }

    static func numberValue(_ value: OTLPNumberValue?, into object: inout Object) {
        switch value {
        case nil: break
        case .double(let number): object["asDouble"] = double(number)
        case .int(let number): object["asInt"] = String(number)
        }
    }

    static func exemplar(_ exemplar: OTLPExemplar) -> Object {
        var object = Object()
        set(&object, "filteredAttributes", exemplar.filteredAttributes.map(keyValue))
        set(&object, "timeUnixNano", uint64: exemplar.timeUnixNano)
        numberValue(exemplar.value, into: &object)
        set(&object, "spanId", spanID: exemplar.spanID)
        set(&object, "traceId", traceID: exemplar.traceID)
        return object
    }

    static func numberDataPoint(_ point: OTLPNumberDataPoint) -> Object {
        var object = Object()
        set(&object, "attributes", point.attributes.map(keyValue))
        set(&object, "startTimeUnixNano", uint64: point.startTimeUnixNano)
        set(&object, "timeUnixNano", uint64: point.timeUnixNano)
        numberValue(point.value, into: &object)
        set(&object, "exemplars", point.exemplars.map(exemplar))
        set(&object, "flags", uint32: point.flags)
        return object
    }

    static func histogramDataPoint(_ point: OTLPHistogramDataPoint) -> Object {
        var object = Object()
        set(&object, "attributes", point.attributes.map(keyValue))
        set(&object, "startTimeUnixNano", uint64: point.startTimeUnixNano)
        set(&object, "timeUnixNano", uint64: point.timeUnixNano)
        set(&object, "count", uint64: point.count)
        if let sum = point.sum { object["sum"] = double(sum) }
        set(&object, "bucketCounts", point.bucketCounts.map { String($0) })
        set(&object, "explicitBounds", point.explicitBounds.map(double))
        set(&object, "exemplars", point.exemplars.map(exemplar))
        set(&object, "flags", uint32: point.flags)
        if let min = point.min { object["min"] = double(min) }
        if let max = point.max { object["max"] = double(max) }
        return object
    }

    static func exponentialHistogramDataPoint(_ point: OTLPExponentialHistogramDataPoint) -> Object {
        func buckets(_ buckets: OTLPExponentialHistogramDataPoint.Buckets) -> Object {
            var object = Object()
            set(&object, "offset", int32: buckets.offset)
            set(&object, "bucketCounts", buckets.bucketCounts.map { String($0) })
            return object
        }
        var object = Object()
        set(&object, "attributes", point.attributes.map(keyValue))
        set(&object, "startTimeUnixNano", uint64: point.startTimeUnixNano)
        set(&object, "timeUnixNano", uint64: point.timeUnixNano)
        set(&object, "count", uint64: point.count)
        if let sum = point.sum { object["sum"] = double(sum) }
        set(&object, "scale", int32: point.scale)
        set(&object, "zeroCount", uint64: point.zeroCount)
        if let positive = point.positive { object["positive"] = buckets(positive) }
        if let negative = point.negative { object["negative"] = buckets(negative) }
        set(&object, "flags", uint32: point.flags)
        set(&object, "exemplars", point.exemplars.map(exemplar))
        if let min = point.min { object["min"] = double(min) }
        if let max = point.max { object["max"] = double(max) }
        set(&object, "zeroThreshold", double: point.zeroThreshold)
        return object
    }

    static func summaryDataPoint(_ point: OTLPSummaryDataPoint) -> Object {
        var object = Object()
        set(&object, "attributes", point.attributes.map(keyValue))
        set(&object, "startTimeUnixNano", uint64: point.startTimeUnixNano)
        set(&object, "timeUnixNano", uint64: point.timeUnixNano)
        set(&object, "count", uint64: point.count)
        set(&object, "sum", double: point.sum)
        set(&object, "quantileValues", point.quantileValues.map { quantile in
            var object = Object()
            set(&object, "quantile", double: quantile.quantile)
            set(&object, "value", double: quantile.value)
            return object
        })
        set(&object, "flags", uint32: point.flags)
        return object
    }
}
