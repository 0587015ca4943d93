import ProtobufWire

/// The OTLP messages, field by field, as the proto files declare them: what OTLP/JSON and protobuf
/// transcoding walk. Field names are the OTLP/JSON (lowerCamelCase) names.
enum OTLPMessage {
    case tracesData, resourceSpans, scopeSpans, span, spanEvent, spanLink, status
    case logsData, resourceLogs, scopeLogs, logRecord
    case metricsData, resourceMetrics, scopeMetrics, metric, gauge, sum, histogram, exponentialHistogram, summary
    case numberDataPoint, histogramDataPoint, exponentialHistogramDataPoint, buckets, summaryDataPoint, valueAtQuantile
    case exemplar
    case resource, entityRef, instrumentationScope, keyValue, anyValue, arrayValue, keyValueList

    /// The message's fields, in field-number order.
    var fields: [OTLPField] {
        switch self {
        case .tracesData: return OTLPMessage.tracesDataFields
        case .resourceSpans: return OTLPMessage.resourceSpansFields
        case .scopeSpans: return OTLPMessage.scopeSpansFields
        case .span: return OTLPMessage.spanFields
        case .spanEvent: return OTLPMessage.spanEventFields
        case .spanLink: return OTLPMessage.spanLinkFields
        case .status: return OTLPMessage.statusFields
        case .logsData: return OTLPMessage.logsDataFields
        case .resourceLogs: return OTLPMessage.resourceLogsFields
        case .scopeLogs: return OTLPMessage.scopeLogsFields
        case .logRecord: return OTLPMessage.logRecordFields
        case .metricsData: return OTLPMessage.metricsDataFields
        case .resourceMetrics: return OTLPMessage.resourceMetricsFields
        case .scopeMetrics: return OTLPMessage.scopeMetricsFields
        case .metric: return OTLPMessage.metricFields
        case .gauge: return OTLPMessage.gaugeFields
        case .sum: return OTLPMessage.sumFields
        case .histogram: return OTLPMessage.histogramFields
        case .exponentialHistogram: return OTLPMessage.exponentialHistogramFields
        case .summary: return OTLPMessage.summaryFields
        case .numberDataPoint: return OTLPMessage.numberDataPointFields
        case .histogramDataPoint: return OTLPMessage.histogramDataPointFields
        case .exponentialHistogramDataPoint: return OTLPMessage.exponentialHistogramDataPointFields
        case .buckets: return OTLPMessage.bucketsFields
        case .summaryDataPoint: return OTLPMessage.summaryDataPointFields
        case .valueAtQuantile: return OTLPMessage.valueAtQuantileFields
        case .exemplar: return OTLPMessage.exemplarFields
        case .resource: return OTLPMessage.resourceFields
        case .entityRef: return OTLPMessage.entityRefFields
        case .instrumentationScope: return OTLPMessage.instrumentationScopeFields
        case .keyValue: return OTLPMessage.keyValueFields
        case .anyValue: return OTLPMessage.anyValueFields
        case .arrayValue: return OTLPMessage.arrayValueFields
        case .keyValueList: return OTLPMessage.keyValueListFields
        }
    }

    // trace.proto
    static let tracesDataFields = [OTLPField("resourceSpans", 1, .message(.resourceSpans), .repeated)]
    static let resourceSpansFields = [
        OTLPField("resource", 1, .message(.resource)),
        // `instrumentationLibrarySpans`: the name before OTLP 0.19, which older Faro SDKs still send.
        OTLPField("scopeSpans", 2, .message(.scopeSpans), .repeated, legacyName: "instrumentationLibrarySpans"),
        OTLPField("schemaUrl", 3, .string),
    ]
    static let scopeSpansFields = [
        OTLPField("scope", 1, .message(.instrumentationScope), legacyName: "instrumentationLibrary"),
        OTLPField("spans", 2, .message(.span), .repeated),
        OTLPField("schemaUrl", 3, .string),
    ]
    static let spanFields = [
        OTLPField("traceId", 1, .traceID), OTLPField("spanId", 2, .spanID), OTLPField("traceState", 3, .string),
        OTLPField("parentSpanId", 4, .spanID), OTLPField("name", 5, .string), OTLPField("kind", 6, .enumeration(.spanKind)),
        OTLPField("startTimeUnixNano", 7, .fixed64), OTLPField("endTimeUnixNano", 8, .fixed64),
        OTLPField("attributes", 9, .message(.keyValue), .repeated), OTLPField("droppedAttributesCount", 10, .uint32),
        OTLPField("events", 11, .message(.spanEvent), .repeated), OTLPField("droppedEventsCount", 12, .uint32),
        OTLPField("links", 13, .message(.spanLink), .repeated), OTLPField("droppedLinksCount", 14, .uint32),
        OTLPField("status", 15, .message(.status)), OTLPField("flags", 16, .fixed32),
    ]
    static let spanEventFields = [
        OTLPField("timeUnixNano", 1, .fixed64), OTLPField("name", 2, .string),
        OTLPField("attributes", 3, .message(.keyValue), .repeated), OTLPField("droppedAttributesCount", 4, .uint32),
    ]
    static let spanLinkFields = [
        OTLPField("traceId", 1, .traceID), OTLPField("spanId", 2, .spanID), OTLPField("traceState", 3, .string),
        OTLPField("attributes", 4, .message(.keyValue), .repeated), OTLPField("droppedAttributesCount", 5, .uint32),
        OTLPField("flags", 6, .fixed32),
    ]
    static let statusFields = [OTLPField("message", 2, .string), OTLPField("code", 3, .enumeration(.statusCode))]

    // logs.proto
    static let logsDataFields = [OTLPField("resourceLogs", 1, .message(.resourceLogs), .repeated)]
    static let resourceLogsFields = [
        OTLPField("resource", 1, .message(.resource)),
        OTLPField("scopeLogs", 2, .message(.scopeLogs), .repeated, legacyName: "instrumentationLibraryLogs"),
        OTLPField("schemaUrl", 3, .string),
    ]
    static let scopeLogsFields = [
        OTLPField("scope", 1, .message(.instrumentationScope), legacyName: "instrumentationLibrary"),
        OTLPField("logRecords", 2, .message(.logRecord), .repeated), OTLPField("schemaUrl", 3, .string),
    ]
    static let logRecordFields = [
        OTLPField("timeUnixNano", 1, .fixed64), OTLPField("severityNumber", 2, .enumeration(.severityNumber)),
        OTLPField("severityText", 3, .string), OTLPField("body", 5, .message(.anyValue)),
        OTLPField("attributes", 6, .message(.keyValue), .repeated), OTLPField("droppedAttributesCount", 7, .uint32),
        OTLPField("flags", 8, .fixed32), OTLPField("traceId", 9, .traceID), OTLPField("spanId", 10, .spanID),
        OTLPField("observedTimeUnixNano", 11, .fixed64), OTLPField("eventName", 12, .string),
    ]

    // metrics.proto
    static let metricsDataFields = [OTLPField("resourceMetrics", 1, .message(.resourceMetrics), .repeated)]
    static let resourceMetricsFields = [
        OTLPField("resource", 1, .message(.resource)),
        OTLPField("scopeMetrics", 2, .message(.scopeMetrics), .repeated, legacyName: "instrumentationLibraryMetrics"),
        OTLPField("schemaUrl", 3, .string),
    ]
    static let scopeMetricsFields = [
        OTLPField("scope", 1, .message(.instrumentationScope), legacyName: "instrumentationLibrary"),
        OTLPField("metrics", 2, .message(.metric), .repeated), OTLPField("schemaUrl", 3, .string),
    ]
    static let metricFields = [
        OTLPField("name", 1, .string), OTLPField("description", 2, .string), OTLPField("unit", 3, .string),
        OTLPField("gauge", 5, .message(.gauge), oneof: true), OTLPField("sum", 7, .message(.sum), oneof: true),
        OTLPField("histogram", 9, .message(.histogram), oneof: true),
        OTLPField("exponentialHistogram", 10, .message(.exponentialHistogram), oneof: true),
        OTLPField("summary", 11, .message(.summary), oneof: true), OTLPField("metadata", 12, .message(.keyValue), .repeated),
    ]
    static let gaugeFields = [OTLPField("dataPoints", 1, .message(.numberDataPoint), .repeated)]
    static let sumFields = [
        OTLPField("dataPoints", 1, .message(.numberDataPoint), .repeated),
        OTLPField("aggregationTemporality", 2, .enumeration(.aggregationTemporality)),
        OTLPField("isMonotonic", 3, .bool),
    ]
    static let histogramFields = [
        OTLPField("dataPoints", 1, .message(.histogramDataPoint), .repeated),
        OTLPField("aggregationTemporality", 2, .enumeration(.aggregationTemporality)),
    ]
    static let exponentialHistogramFields = [
        OTLPField("dataPoints", 1, .message(.exponentialHistogramDataPoint), .repeated),
        OTLPField("aggregationTemporality", 2, .enumeration(.aggregationTemporality)),
    ]
    static let summaryFields = [OTLPField("dataPoints", 1, .message(.summaryDataPoint), .repeated)]
    static let numberDataPointFields = [
        OTLPField("startTimeUnixNano", 2, .fixed64), OTLPField("timeUnixNano", 3, .fixed64),
        OTLPField("asDouble", 4, .double, .present, oneof: true), OTLPField("exemplars", 5, .message(.exemplar), .repeated),
        OTLPField("asInt", 6, .sfixed64, .present, oneof: true), OTLPField("attributes", 7, .message(.keyValue), .repeated),
        OTLPField("flags", 8, .uint32),
    ]
    static let histogramDataPointFields = [
        OTLPField("startTimeUnixNano", 2, .fixed64), OTLPField("timeUnixNano", 3, .fixed64),
        OTLPField("count", 4, .fixed64), OTLPField("sum", 5, .double, .present),
        OTLPField("bucketCounts", 6, .fixed64, .packed), OTLPField("explicitBounds", 7, .double, .packed),
        OTLPField("exemplars", 8, .message(.exemplar), .repeated), OTLPField("attributes", 9, .message(.keyValue), .repeated),
        OTLPField("flags", 10, .uint32), OTLPField("min", 11, .double, .present), OTLPField("max", 12, .double, .present),
    ]
    static let exponentialHistogramDataPointFields = [
        OTLPField("attributes", 1, .message(.keyValue), .repeated), OTLPField("startTimeUnixNano", 2, .fixed64),
        OTLPField("timeUnixNano", 3, .fixed64), OTLPField("count", 4, .fixed64), OTLPField("sum", 5, .double, .present),
        OTLPField("scale", 6, .sint32), OTLPField("zeroCount", 7, .fixed64), OTLPField("positive", 8, .message(.buckets)),
        OTLPField("negative", 9, .message(.buckets)), OTLPField("flags", 10, .uint32),
        OTLPField("exemplars", 11, .message(.exemplar), .repeated), OTLPField("min", 12, .double, .present),
        OTLPField("max", 13, .double, .present), OTLPField("zeroThreshold", 14, .double),
    ]
    static let bucketsFields = [OTLPField("offset", 1, .sint32), OTLPField("bucketCounts", 2, .uint64, .packed)]
    static let summaryDataPointFields = [
        OTLPField("startTimeUnixNano", 2, .fixed64), OTLPField("timeUnixNano", 3, .fixed64),
        OTLPField("count", 4, .fixed64), OTLPField("sum", 5, .double),
        OTLPField("quantileValues", 6, .message(.valueAtQuantile), .repeated),
        OTLPField("attributes", 7, .message(.keyValue), .repeated), OTLPField("flags", 8, .uint32),
    ]
    static let valueAtQuantileFields = [OTLPField("quantile", 1, .double), OTLPField("value", 2, .double)]
    static let exemplarFields = [
        OTLPField("timeUnixNano", 2, .fixed64), OTLPField("asDouble", 3, .double, .present, oneof: true),
        OTLPField("spanId", 4, .spanID), OTLPField("traceId", 5, .traceID),
        OTLPField("asInt", 6, .sfixed64, .present, oneof: true),
        OTLPField("filteredAttributes", 7, .message(.keyValue), .repeated),
    ]

    // common.proto, resource.proto
    static let resourceFields = [
        OTLPField("attributes", 1, .message(.keyValue), .repeated), OTLPField("droppedAttributesCount", 2, .uint32),
        OTLPField("entityRefs", 3, .message(.entityRef), .repeated),
    ]
    static let entityRefFields = [
        OTLPField("schemaUrl", 1, .string), OTLPField("type", 2, .string), OTLPField("idKeys", 3, .string, .repeated),
        OTLPField("descriptionKeys", 4, .string, .repeated),
    ]
    static let instrumentationScopeFields = [
        OTLPField("name", 1, .string), OTLPField("version", 2, .string),
        OTLPField("attributes", 3, .message(.keyValue), .repeated), OTLPField("droppedAttributesCount", 4, .uint32),
    ]
    static let keyValueFields = [
        OTLPField("key", 1, .string), OTLPField("value", 2, .message(.anyValue)), OTLPField("keyStrindex", 3, .int32),
    ]
    static let anyValueFields = [
        OTLPField("stringValue", 1, .string, .present, oneof: true), OTLPField("boolValue", 2, .bool, .present, oneof: true),
        OTLPField("intValue", 3, .int64, .present, oneof: true), OTLPField("doubleValue", 4, .double, .present, oneof: true),
        OTLPField("arrayValue", 5, .message(.arrayValue), oneof: true),
        OTLPField("kvlistValue", 6, .message(.keyValueList), oneof: true),
        OTLPField("bytesValue", 7, .bytes, .present, oneof: true),
        OTLPField("stringValueStrindex", 8, .int32, .present, oneof: true),
    ]
    static let arrayValueFields = [OTLPField("values", 1, .message(.anyValue), .repeated)]
    static let keyValueListFields = [OTLPField("values", 1, .message(.keyValue), .repeated)]
}

/// One field of an OTLP message.
///
/// A field holds no reference: its names are the bytes of literals, or bytes made once with the
/// schema's static tables, so that copying a field (each look-up by name returns one) retains and
/// releases nothing. That is also why it is `@unchecked Sendable`: the bytes are never written
/// after they are made, and never freed.
struct OTLPField: @unchecked Sendable {
    /// How a field's values are laid out.
    enum Kind {
        case string, bytes, traceID, spanID, bool
        case int32, uint32, sint32, int64, uint64, fixed32, fixed64, sfixed64, double
        case enumeration(OTLPEnumeration)
        case message(OTLPMessage)
    }

    /// How many values a field holds, and how their absence shows.
    enum Cardinality {
        /// One value, left out when it is the default (proto3 implicit presence; messages are present or not).
        case single
        /// One value, written even when it is the default (a oneof member, an `optional` field).
        case present
        /// Any number of values, each its own field on the wire.
        case repeated
        /// Any number of scalars, packed into one length-delimited field on the wire.
        case packed
    }

    /// The OTLP/JSON name (lowerCamelCase), as UTF-8: its literal's bytes.
    let name: UnsafeBufferPointer<UInt8>
    /// The proto field name (snake_case), which receivers may accept too: `name` itself when it has
    /// no capital letter.
    let protoName: UnsafeBufferPointer<UInt8>
    /// A name of an older version of the protocol that means the same field, if any: its literal's bytes.
    let legacyName: UnsafeBufferPointer<UInt8>?
    /// The field number.
    let number: Int
    /// The value kind.
    let kind: Kind
    /// The cardinality.
    let cardinality: Cardinality
    /// Whether the field is a member of the message's oneof (OTLP messages have at most one): of its
    /// members, only the one set last holds a value.
    let isOneofMember: Bool

    init(
        _ name: StaticString, _ number: Int, _ kind: Kind, _ cardinality: Cardinality = .single, oneof: Bool = false,
        legacyName: StaticString? = nil
    ) {
        // `OTLPSchemaWalk` keeps the numbers of a message's fields in a 64-bit mask.
        precondition(number > 0 && number < 64, "field number \(number) out of the schema's range")
        self.name = Self.bytes(of: name)
        self.protoName = Self.snakeCase(self.name)
        self.legacyName = legacyName.map(Self.bytes(of:))
        self.number = number
        self.kind = kind
        self.cardinality = cardinality
        self.isOneofMember = oneof
    }

    /// The UTF-8 of a literal, which lives as long as the program.
    private static func bytes(of literal: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    /// The snake_case form of a lowerCamelCase name: `_` and the lowercase letter for each capital.
    /// The name itself when it has none; else new bytes, made once for the schema's static tables
    /// and never freed.
    private static func snakeCase(_ name: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let capitals = name.count { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        if capitals == 0 { return name }
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: name.count + capitals)
        var index = 0
        for byte in name {
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                bytes[index] = UInt8(ascii: "_")
                bytes[index + 1] = byte | 0x20
                index += 2
            } else {
                bytes[index] = byte
                index += 1
            }
        }
        return UnsafeBufferPointer(bytes)
    }

    /// The protobuf wire type of one value of the field.
    var wireType: ProtobufWireType {
        switch kind {
        case .string, .bytes, .traceID, .spanID, .message: return .lengthDelimited
        case .bool, .int32, .uint32, .sint32, .int64, .uint64, .enumeration: return .varint
        case .fixed64, .sfixed64, .double: return .fixed64
        case .fixed32: return .fixed32
        }
    }
}

/// The OTLP enums and the names of their values, which OTLP/JSON receivers accept besides the numbers.
enum OTLPEnumeration {
    case spanKind, statusCode, severityNumber, aggregationTemporality

    /// The value names, indexed by number.
    var names: [String] {
        switch self {
        case .spanKind: return OTLPEnumeration.spanKindNames
        case .statusCode: return OTLPEnumeration.statusCodeNames
        case .severityNumber: return OTLPEnumeration.severityNumberNames
        case .aggregationTemporality: return OTLPEnumeration.aggregationTemporalityNames
        }
    }

    static let spanKindNames = [
        "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER",
        "SPAN_KIND_CONSUMER",
    ]
    static let statusCodeNames = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]
    static let severityNumberNames =
        ["SEVERITY_NUMBER_UNSPECIFIED"]
        + ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"].flatMap { level in
            ["", "2", "3", "4"].map { "SEVERITY_NUMBER_" + level + $0 }
        }
    static let aggregationTemporalityNames = [
        "AGGREGATION_TEMPORALITY_UNSPECIFIED", "AGGREGATION_TEMPORALITY_DELTA", "AGGREGATION_TEMPORALITY_CUMULATIVE",
    ]
}
