import OTLPCodec
import TestSupport

/// OTLP messages for the conformance tests: hand-made ones with every field set and the edge cases
/// of the wire format, and generated ones (seeded) that mix them.
enum OTLPSamples {
    static let maxTraceID = OTLPTraceID(high: .max, low: .max)
    static let traceID = OTLPTraceID(hex: "5b8efff798038103d269b633813fc60c")!
    static let spanID = OTLPSpanID(hex: "eee19b7ec3c1b174")!

    /// Attribute values of every kind, nested, with the numbers and text that encoders get wrong.
    static let everyValue: [OTLPKeyValue] = [
        OTLPKeyValue("string", "héllo wörld 😀 中文"),
        OTLPKeyValue("empty.string", ""),
        OTLPKeyValue("nul", "a\u{0}b"),
        OTLPKeyValue("bool.true", true),
        OTLPKeyValue("bool.false", false),
        OTLPKeyValue("int.zero", Int64(0)),
        OTLPKeyValue("int.negative", Int64(-1)),
        OTLPKeyValue("int.min", Int64.min),
        OTLPKeyValue("int.max", Int64.max),
        OTLPKeyValue("double", 3.14159),
        OTLPKeyValue("double.zero", 0.0),
        OTLPKeyValue("double.negative.zero", -0.0),
        OTLPKeyValue("double.nan", Double.nan),
        OTLPKeyValue("double.infinity", Double.infinity),
        OTLPKeyValue("double.minus.infinity", -Double.infinity),
        OTLPKeyValue("double.tiny", Double.leastNonzeroMagnitude),
        OTLPKeyValue("double.huge", 1.7976931348623157e308),
        OTLPKeyValue(key: "bytes", value: .bytes((0...255).map { UInt8($0) })),
        OTLPKeyValue(key: "bytes.empty", value: .bytes([])),
        OTLPKeyValue(key: "array", value: .array([.string("a"), .int(2), .empty, .array([.bool(true)]), .double(0.5)])),
        OTLPKeyValue(key: "array.empty", value: .array([])),
        OTLPKeyValue(key: "kvlist", value: .keyValueList([OTLPKeyValue("inner", "x"), OTLPKeyValue(key: "none", value: .empty)])),
        OTLPKeyValue(key: "kvlist.empty", value: .keyValueList([])),
        OTLPKeyValue(key: "no.value", value: .empty),
        OTLPKeyValue(key: "", value: .string("empty key")),
        OTLPKeyValue(key: "indexed", value: .stringIndex(7), keyStringIndex: 3),
    ]

    static let resource = OTLPResource(
        attributes: [OTLPKeyValue("service.name", "checkout-web"), OTLPKeyValue("deployment.environment", "prod")],
        droppedAttributesCount: 2,
        entityRefs: [
            OTLPEntityRef(schemaURL: "https://opentelemetry.io/schemas/1.30.0", type: "service", idKeys: ["service.name"], descriptionKeys: ["deployment.environment", ""])
        ])

    static let scope = OTLPInstrumentationScope(
        name: "@grafana/faro-web-tracing", version: "1.9.0", attributes: [OTLPKeyValue("scope.attr", Int64(1))],
        droppedAttributesCount: 1)

    static let everyFieldSpan = OTLPSpan(
        traceID: traceID, spanID: spanID, traceState: "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
        parentSpanID: OTLPSpanID(hex: "0102030405060708")!, flags: 0x301, name: "GET /cart", kind: .client,
        startTimeUnixNano: 1_544_712_660_000_000_000, endTimeUnixNano: .max, attributes: everyValue,
        droppedAttributesCount: 3,
        events: [
            OTLPSpan.Event(timeUnixNano: 1_544_712_660_500_000_000, name: "paint", attributes: [OTLPKeyValue("x", 1.5)], droppedAttributesCount: 1),
            OTLPSpan.Event(timeUnixNano: 0, name: ""),
        ],
        droppedEventsCount: 4,
        links: [
            OTLPSpan.Link(traceID: maxTraceID, spanID: OTLPSpanID(.max), traceState: "a=b", attributes: [OTLPKeyValue("link", true)], droppedAttributesCount: 5, flags: 0x100),
            OTLPSpan.Link(traceID: nil, spanID: nil),
        ],
        droppedLinksCount: 6, status: OTLPStatus(message: "boom ✗", code: .error))

    static let edgeSpans: [OTLPSpan] = [
        // Nothing set but the ids.
        OTLPSpan(traceID: traceID, spanID: spanID, name: "", startTimeUnixNano: 0, endTimeUnixNano: 0),
        // No ids at all, an empty status, enum values no version of the proto names.
        OTLPSpan(traceID: nil, spanID: nil, name: "anonymous", kind: OTLPSpan.Kind(rawValue: 42), startTimeUnixNano: 1, endTimeUnixNano: 2, status: OTLPStatus()),
        OTLPSpan(traceID: OTLPTraceID(high: 0, low: 0), spanID: OTLPSpanID(0), name: "zero ids", kind: OTLPSpan.Kind(rawValue: -1), startTimeUnixNano: 1, endTimeUnixNano: 1, status: OTLPStatus(code: OTLPStatus.Code(rawValue: 99))),
        OTLPSpan(traceID: traceID, spanID: spanID, name: String(repeating: "long name ", count: 2_000), startTimeUnixNano: 5, endTimeUnixNano: 6, attributes: (0..<300).map { OTLPKeyValue("k\($0)", Int64($0)) }),
    ]

    static let everyFieldTraces = OTLPTracesData(resourceSpans: [
        OTLPResourceSpans(
            resource: resource,
            scopeSpans: [
                OTLPScopeSpans(scope: scope, spans: [everyFieldSpan] + edgeSpans, schemaURL: "https://opentelemetry.io/schemas/1.26.0"),
                OTLPScopeSpans(scope: OTLPInstrumentationScope(), spans: []),
                OTLPScopeSpans(scope: nil, spans: [edgeSpans[0]]),
            ],
            schemaURL: "https://opentelemetry.io/schemas/1.26.0"),
        OTLPResourceSpans(resource: OTLPResource(), scopeSpans: []),
        OTLPResourceSpans(resource: nil, scopeSpans: [OTLPScopeSpans()]),
    ])

    static let everyFieldLogs = OTLPLogsData(resourceLogs: [
        OTLPResourceLogs(
            resource: resource,
            scopeLogs: [
                OTLPScopeLogs(
                    scope: scope,
                    logRecords: [
                        OTLPLogRecord(
                            timeUnixNano: 1_700_000_000_123_456_789, observedTimeUnixNano: 1_700_000_000_223_456_789,
                            severityNumber: .error, severityText: "ERROR",
                            body: .keyValueList([OTLPKeyValue("message", "failed ✗"), OTLPKeyValue("code", Int64(-3))]),
                            attributes: everyValue, droppedAttributesCount: 9, flags: 1, traceID: traceID, spanID: spanID,
                            eventName: "browser.exception"),
                        OTLPLogRecord(body: .string("")),
                        OTLPLogRecord(body: .empty),
                        OTLPLogRecord(severityNumber: OTLPLogRecord.Severity(rawValue: 30), body: .bytes([0, 1, 2])),
                        OTLPLogRecord(),
                    ],
                    schemaURL: "s")
            ],
            schemaURL: "r"),
        OTLPResourceLogs(),
    ])

    static let everyFieldMetrics = OTLPMetricsData(resourceMetrics: [
        OTLPResourceMetrics(
            resource: resource,
            scopeMetrics: [
                OTLPScopeMetrics(
                    scope: scope,
                    metrics: [
                        OTLPMetric(
                            name: "page.views", description: "Pages viewed", unit: "{view}",
                            data: .gauge(dataPoints: [
                                OTLPNumberDataPoint(attributes: [OTLPKeyValue("page", "/cart")], startTimeUnixNano: 1, timeUnixNano: 2, value: .int(-5), exemplars: [
                                    OTLPExemplar(filteredAttributes: [OTLPKeyValue("user", "u1")], timeUnixNano: 3, value: .double(0.25), spanID: spanID, traceID: traceID),
                                    OTLPExemplar(timeUnixNano: 0, value: .int(0)),
                                    OTLPExemplar(timeUnixNano: 4, value: nil),
                                ], flags: 1),
                                OTLPNumberDataPoint(timeUnixNano: 5, value: .double(0)),
                                OTLPNumberDataPoint(timeUnixNano: 6, value: nil),
                            ]),
                            metadata: [OTLPKeyValue("prometheus.type", "gauge")]),
                        OTLPMetric(
                            name: "requests", data: .sum(dataPoints: [OTLPNumberDataPoint(timeUnixNano: 7, value: .int(Int64.max))], aggregationTemporality: .cumulative, isMonotonic: true)),
                        OTLPMetric(name: "deltas", data: .sum(dataPoints: [], aggregationTemporality: .delta, isMonotonic: false)),
                        OTLPMetric(
                            name: "web_vitals_lcp", unit: "ms",
                            data: .histogram(
                                dataPoints: [
                                    OTLPHistogramDataPoint(
                                        attributes: [OTLPKeyValue("rating", "good")], startTimeUnixNano: 10, timeUnixNano: 20, count: 6, sum: 4321.5,
                                        bucketCounts: [1, 2, 0, 3], explicitBounds: [100, 2500, 4000], exemplars: [OTLPExemplar(timeUnixNano: 15, value: .double(1855.8))],
                                        flags: 0, min: 0, max: 9000.25),
                                    OTLPHistogramDataPoint(timeUnixNano: 21, count: 0, sum: 0),
                                    OTLPHistogramDataPoint(timeUnixNano: 22, count: 1, bucketCounts: [UInt64.max]),
                                ],
                                aggregationTemporality: .delta)),
                        OTLPMetric(
                            name: "latency.exp",
                            data: .exponentialHistogram(
                                dataPoints: [
                                    OTLPExponentialHistogramDataPoint(
                                        attributes: [OTLPKeyValue("a", "b")], startTimeUnixNano: 1, timeUnixNano: 2, count: 10, sum: -1.5, scale: -3, zeroCount: 2,
                                        positive: .init(offset: -4, bucketCounts: [1, 0, 300, UInt64.max]), negative: .init(), flags: 1,
                                        exemplars: [OTLPExemplar(timeUnixNano: 1, value: .int(-1))], min: -9, max: 1e300, zeroThreshold: 1e-9),
                                    OTLPExponentialHistogramDataPoint(timeUnixNano: 3, count: 0, scale: 20),
                                ],
                                aggregationTemporality: OTLPAggregationTemporality(rawValue: 7))),
                        OTLPMetric(
                            name: "summary",
                            data: .summary(dataPoints: [
                                OTLPSummaryDataPoint(
                                    startTimeUnixNano: 1, timeUnixNano: 2, count: 3, sum: 6.5,
                                    quantileValues: [.init(quantile: 0, value: 1), .init(quantile: 0.5, value: 2.5), .init(quantile: 1, value: -0.0)], flags: 1),
                                OTLPSummaryDataPoint(timeUnixNano: 3, count: 0, sum: 0),
                            ])),
                        OTLPMetric(name: "no data", data: nil),
                    ])
            ],
            schemaURL: "u"),
    ])

    // MARK: - Generated

    static func text(_ generator: inout SplitMix64) -> String {
        generator.pick(["", "a", "checkout", "héllo", "😀😀", "line\nbreak", "quote\"", String(repeating: "x", count: 130)])
    }

    static func value(_ generator: inout SplitMix64, depth: Int = 0) -> OTLPAnyValue {
        switch generator.next() % (depth < 2 ? 9 : 7) {
        case 0: return .string(text(&generator))
        case 1: return .bool(generator.chance(50))
        case 2: return .int(Int64(bitPattern: generator.next()) >> (generator.next() % 64))
        case 3: return .double(generator.pick([0.1, -2.5, 1e21, .nan, 123456789.125, -.infinity]))
        case 4: return .bytes((0..<generator.next() % 20).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        case 5: return .empty
        case 6: return .string("")
        case 7: return .array((0..<generator.next() % 4).map { _ in value(&generator, depth: depth + 1) })
        default: return .keyValueList(attributes(&generator, depth: depth + 1))
        }
    }

    static func attributes(_ generator: inout SplitMix64, depth: Int = 0) -> [OTLPKeyValue] {
        (0..<generator.next() % 5).map { _ in OTLPKeyValue(key: text(&generator), value: value(&generator, depth: depth)) }
    }

    static func time(_ generator: inout SplitMix64) -> UInt64 {
        generator.pick([0, 1, 1_700_000_000_000_000_000 + generator.next() % 1_000_000_000_000, .max])
    }

    static func traceID(_ generator: inout SplitMix64) -> OTLPTraceID? {
        generator.chance(10) ? nil : OTLPTraceID(high: generator.next(), low: generator.next())
    }

    static func spanID(_ generator: inout SplitMix64) -> OTLPSpanID? {
        generator.chance(10) ? nil : OTLPSpanID(generator.next())
    }

    static func span(_ generator: inout SplitMix64) -> OTLPSpan {
        OTLPSpan(
            traceID: traceID(&generator), spanID: spanID(&generator), traceState: generator.chance(20) ? "k=v" : "",
            parentSpanID: generator.chance(50) ? spanID(&generator) : nil, flags: UInt32(truncatingIfNeeded: generator.next() % 1024),
            name: text(&generator), kind: OTLPSpan.Kind(rawValue: Int32(generator.next() % 7)), startTimeUnixNano: time(&generator),
            endTimeUnixNano: time(&generator), attributes: attributes(&generator),
            droppedAttributesCount: UInt32(generator.next() % 3),
            events: (0..<generator.next() % 3).map { _ in OTLPSpan.Event(timeUnixNano: time(&generator), name: text(&generator), attributes: attributes(&generator)) },
            links: (0..<generator.next() % 2).map { _ in OTLPSpan.Link(traceID: traceID(&generator), spanID: spanID(&generator), attributes: attributes(&generator), flags: 1) },
            status: generator.chance(50) ? OTLPStatus(message: text(&generator), code: OTLPStatus.Code(rawValue: Int32(generator.next() % 3))) : nil)
    }

    static func traces(_ generator: inout SplitMix64, resources: Int) -> OTLPTracesData {
        OTLPTracesData(resourceSpans: (0..<resources).map { _ in
            OTLPResourceSpans(
                resource: generator.chance(80) ? OTLPResource(attributes: attributes(&generator)) : nil,
                scopeSpans: (0..<generator.next() % 3).map { _ in
                    OTLPScopeSpans(
                        scope: generator.chance(80) ? OTLPInstrumentationScope(name: text(&generator), version: text(&generator)) : nil,
                        spans: (0..<generator.next() % 6).map { _ in span(&generator) }, schemaURL: text(&generator))
                },
                schemaURL: text(&generator))
        })
    }

    static func logs(_ generator: inout SplitMix64, resources: Int) -> OTLPLogsData {
        OTLPLogsData(resourceLogs: (0..<resources).map { _ in
            OTLPResourceLogs(
                resource: generator.chance(80) ? OTLPResource(attributes: attributes(&generator)) : nil,
                scopeLogs: (0..<generator.next() % 3).map { _ in
                    OTLPScopeLogs(
                        scope: generator.chance(80) ? OTLPInstrumentationScope(name: text(&generator)) : nil,
                        logRecords: (0..<generator.next() % 6).map { _ in
                            OTLPLogRecord(
                                timeUnixNano: time(&generator), observedTimeUnixNano: time(&generator),
                                severityNumber: OTLPLogRecord.Severity(rawValue: Int32(generator.next() % 25)), severityText: text(&generator),
                                body: generator.chance(80) ? value(&generator) : nil, attributes: attributes(&generator),
                                flags: UInt32(generator.next() % 2), traceID: traceID(&generator), spanID: spanID(&generator),
                                eventName: generator.chance(20) ? "event" : "")
                        })
                })
        })
    }

    static func metrics(_ generator: inout SplitMix64, resources: Int) -> OTLPMetricsData {
        func number(_ generator: inout SplitMix64) -> OTLPNumberValue? {
            switch generator.next() % 3 {
            case 0: return .int(Int64(bitPattern: generator.next()))
            case 1: return .double(generator.pick([0, 1.25, -3e-8]))
            default: return nil
            }
        }
        func point(_ generator: inout SplitMix64) -> OTLPNumberDataPoint {
            OTLPNumberDataPoint(
                attributes: attributes(&generator), startTimeUnixNano: time(&generator), timeUnixNano: time(&generator),
                value: number(&generator),
                exemplars: generator.chance(30) ? [OTLPExemplar(timeUnixNano: time(&generator), value: number(&generator), spanID: spanID(&generator), traceID: traceID(&generator))] : [])
        }
        func data(_ generator: inout SplitMix64) -> OTLPMetric.Data? {
            let points = (0..<generator.next() % 3).map { _ in point(&generator) }
            switch generator.next() % 6 {
            case 0: return .gauge(dataPoints: points)
            case 1: return .sum(dataPoints: points, aggregationTemporality: OTLPAggregationTemporality(rawValue: Int32(generator.next() % 3)), isMonotonic: generator.chance(50))
            case 2:
                let bounds = (0..<generator.next() % 4).map { Double($0) * 10 }
                return .histogram(
                    dataPoints: [OTLPHistogramDataPoint(timeUnixNano: time(&generator), count: generator.next() % 100, sum: generator.chance(50) ? 12.5 : nil, bucketCounts: (0...bounds.count).map { _ in generator.next() % 10 }, explicitBounds: bounds)],
                    aggregationTemporality: .cumulative)
            case 3:
                return .exponentialHistogram(
                    dataPoints: [OTLPExponentialHistogramDataPoint(timeUnixNano: time(&generator), count: 3, scale: Int32(truncatingIfNeeded: Int64(bitPattern: generator.next()) % 21), positive: generator.chance(50) ? .init(offset: -2, bucketCounts: [1, 2]) : nil)],
                    aggregationTemporality: .delta)
            case 4: return .summary(dataPoints: [OTLPSummaryDataPoint(timeUnixNano: time(&generator), count: 2, sum: 3, quantileValues: [.init(quantile: 0.99, value: 7)])])
            default: return nil
            }
        }
        return OTLPMetricsData(resourceMetrics: (0..<resources).map { _ in
            OTLPResourceMetrics(
                resource: generator.chance(80) ? OTLPResource(attributes: attributes(&generator)) : nil,
                scopeMetrics: (0..<generator.next() % 3).map { _ in
                    OTLPScopeMetrics(
                        scope: generator.chance(80) ? OTLPInstrumentationScope(name: text(&generator)) : nil,
                        metrics: (0..<generator.next() % 4).map { _ in
                            OTLPMetric(name: text(&generator), description: text(&generator), unit: generator.pick(["", "ms", "By"]), data: data(&generator), metadata: attributes(&generator))
                        })
                })
        })
    }
}
