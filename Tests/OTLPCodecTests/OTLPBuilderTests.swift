import OTLPCodec
import Testing

/// The builders write the same bytes as the value types they stand for.
@Suite struct OTLPBuilderTests {
    static let traceID = OTLPSamples.traceID
    static let spanID = OTLPSamples.spanID

    @Test func tracesBuilderWritesTheValuesBytes() throws {
        var built: ContiguousArray<UInt8> = [0xEE]
        OTLPTracesBuilder.append(to: &built) { traces in
            traces.resourceSpans(schemaURL: "r", resource: { $0.attribute("service.name", "checkout") }) { resource in
                resource.scopeSpans(name: "scope", version: "1", schemaURL: "s") { scope in
                    scope.span(
                        traceID: Self.traceID, spanID: Self.spanID, traceState: "a=b", parentSpanID: OTLPSpanID(7), flags: 1,
                        name: "GET /cart", kind: .server, startTimeUnixNano: 10, endTimeUnixNano: 20,
                        status: OTLPStatus(message: "m", code: .error), droppedAttributesCount: 1, droppedEventsCount: 2,
                        droppedLinksCount: 3
                    ) { span in
                        span.attribute("s", "v")
                        span.attribute("i", 200)
                        span.attribute("d", 0.5)
                        span.attribute("b", false)
                        [UInt8]([1, 2]).withUnsafeBytes { span.attribute("x", bytes: $0) }
                        span.attribute("a", .array([.int(1)]))
                        span.event(timeUnixNano: 15, name: "e", droppedAttributesCount: 4) { $0.attribute("k", true) }
                        span.link(traceID: Self.traceID, spanID: Self.spanID, traceState: "t", flags: 256, droppedAttributesCount: 5) {
                            $0.attribute("l", Int64(-1))
                        }
                    }
                    scope.span(traceID: nil, spanID: nil, name: "bare", startTimeUnixNano: 0, endTimeUnixNano: 0)
                }
            }
        }
        let value = OTLPTracesData(resourceSpans: [
            OTLPResourceSpans(
                resource: OTLPResource(attributes: [OTLPKeyValue("service.name", "checkout")]),
                scopeSpans: [
                    OTLPScopeSpans(
                        scope: OTLPInstrumentationScope(name: "scope", version: "1"),
                        spans: [
                            OTLPSpan(
                                traceID: Self.traceID, spanID: Self.spanID, traceState: "a=b", parentSpanID: OTLPSpanID(7), flags: 1,
                                name: "GET /cart", kind: .server, startTimeUnixNano: 10, endTimeUnixNano: 20,
                                attributes: [
                                    OTLPKeyValue("s", "v"), OTLPKeyValue("i", Int64(200)), OTLPKeyValue("d", 0.5), OTLPKeyValue("b", false),
                                    OTLPKeyValue(key: "x", value: .bytes([1, 2])), OTLPKeyValue(key: "a", value: .array([.int(1)])),
                                ],
                                droppedAttributesCount: 1,
                                events: [OTLPSpan.Event(timeUnixNano: 15, name: "e", attributes: [OTLPKeyValue("k", true)], droppedAttributesCount: 4)],
                                droppedEventsCount: 2,
                                links: [OTLPSpan.Link(traceID: Self.traceID, spanID: Self.spanID, traceState: "t", attributes: [OTLPKeyValue("l", Int64(-1))], droppedAttributesCount: 5, flags: 256)],
                                droppedLinksCount: 3, status: OTLPStatus(message: "m", code: .error)),
                            OTLPSpan(traceID: nil, spanID: nil, name: "bare", startTimeUnixNano: 0, endTimeUnixNano: 0),
                        ],
                        schemaURL: "s")
                ],
                schemaURL: "r")
        ])
        var encoded: ContiguousArray<UInt8> = [0xEE]
        value.encodeProtobuf(into: &encoded)
        #expect(built == encoded)
        let decoded = try built.dropFirst().withUnsafeBytes { try OTLPTracesData(protobuf: $0) }
        #expect(decoded == value)
    }

    @Test func logsBuilderWritesTheValuesBytes() throws {
        var built = ContiguousArray<UInt8>()
        OTLPLogsBuilder.append(to: &built) { logs in
            logs.resourceLogs(resource: { $0.attribute("service.name", "web") }) { resource in
                resource.scopeLogs(name: "faro") { scope in
                    scope.logRecord(
                        timeUnixNano: 1, observedTimeUnixNano: 2, severityNumber: .warn, severityText: "warn",
                        body: .string("hello"), flags: 1, traceID: Self.traceID, spanID: Self.spanID, eventName: "e",
                        droppedAttributesCount: 3
                    ) { $0.attribute("user", "u-1") }
                    scope.logRecord()
                }
            }
        }
        let value = OTLPLogsData(resourceLogs: [
            OTLPResourceLogs(
                resource: OTLPResource(attributes: [OTLPKeyValue("service.name", "web")]),
                scopeLogs: [
                    OTLPScopeLogs(
                        scope: OTLPInstrumentationScope(name: "faro"),
                        logRecords: [
                            OTLPLogRecord(
                                timeUnixNano: 1, observedTimeUnixNano: 2, severityNumber: .warn, severityText: "warn", body: .string("hello"),
                                attributes: [OTLPKeyValue("user", "u-1")], droppedAttributesCount: 3, flags: 1, traceID: Self.traceID,
                                spanID: Self.spanID, eventName: "e"),
                            OTLPLogRecord(),
                        ])
                ])
        ])
        var encoded = ContiguousArray<UInt8>()
        value.encodeProtobuf(into: &encoded)
        #expect(built == encoded)
        #expect(try built.withUnsafeBytes { try OTLPLogsData(protobuf: $0) } == value)
    }

    @Test func metricsBuilderWritesTheValuesBytes() throws {
        let exemplar = OTLPExemplar(timeUnixNano: 4, value: .double(1), spanID: Self.spanID, traceID: Self.traceID)
        var built = ContiguousArray<UInt8>()
        OTLPMetricsBuilder.append(to: &built) { metrics in
            metrics.resourceMetrics(resource: { $0.attribute("service.name", "web") }) { resource in
                resource.scopeMetrics(name: "rum") { scope in
                    scope.gauge(name: "g", unit: "1") { points in
                        points.dataPoint(timeUnixNano: 5, value: .int(-2), exemplars: [exemplar]) { $0.attribute("p", "/") }
                    }
                    scope.sum(name: "s", temporality: .cumulative, isMonotonic: true) { points in
                        points.dataPoint(startTimeUnixNano: 1, timeUnixNano: 5, value: .double(2.5), flags: 1)
                    }
                    scope.histogram(name: "lcp", description: "LCP", unit: "ms", temporality: .delta) { points in
                        points.dataPoint(
                            timeUnixNano: 6, count: 3, sum: 4000, bucketCounts: [1, 2, 0], explicitBounds: [2500, 4000], min: 100,
                            max: 3000
                        ) { $0.attribute("rating", "good") }
                    }
                    scope.exponentialHistogram(name: "exp", temporality: .cumulative) { points in
                        points.dataPoint(
                            timeUnixNano: 7, count: 4, sum: 2, scale: -2, zeroCount: 1, positive: .init(offset: -1, bucketCounts: [1, 2]),
                            min: 0, max: 9, zeroThreshold: 1e-6
                        ) { $0.attribute("a", "b") }
                    }
                    scope.summary(name: "summary") { points in
                        points.dataPoint(timeUnixNano: 1, count: 1, sum: 1, quantileValues: [.init(quantile: 0.5, value: 1)]) {
                            $0.attribute("q", true)
                        }
                    }
                }
            }
        }
        let value = OTLPMetricsData(resourceMetrics: [
            OTLPResourceMetrics(
                resource: OTLPResource(attributes: [OTLPKeyValue("service.name", "web")]),
                scopeMetrics: [
                    OTLPScopeMetrics(
                        scope: OTLPInstrumentationScope(name: "rum"),
                        metrics: [
                            OTLPMetric(
                                name: "g", unit: "1",
                                data: .gauge(dataPoints: [
                                    OTLPNumberDataPoint(attributes: [OTLPKeyValue("p", "/")], timeUnixNano: 5, value: .int(-2), exemplars: [exemplar])
                                ])),
                            OTLPMetric(
                                name: "s",
                                data: .sum(
                                    dataPoints: [OTLPNumberDataPoint(startTimeUnixNano: 1, timeUnixNano: 5, value: .double(2.5), flags: 1)],
                                    aggregationTemporality: .cumulative, isMonotonic: true)),
                            OTLPMetric(
                                name: "lcp", description: "LCP", unit: "ms",
                                data: .histogram(
                                    dataPoints: [
                                        OTLPHistogramDataPoint(
                                            attributes: [OTLPKeyValue("rating", "good")], timeUnixNano: 6, count: 3, sum: 4000, bucketCounts: [1, 2, 0],
                                            explicitBounds: [2500, 4000], min: 100, max: 3000)
                                    ], aggregationTemporality: .delta)),
                            OTLPMetric(
                                name: "exp",
                                data: .exponentialHistogram(
                                    dataPoints: [
                                        OTLPExponentialHistogramDataPoint(
                                            attributes: [OTLPKeyValue("a", "b")], timeUnixNano: 7, count: 4, sum: 2, scale: -2, zeroCount: 1,
                                            positive: .init(offset: -1, bucketCounts: [1, 2]), min: 0, max: 9, zeroThreshold: 1e-6)
                                    ], aggregationTemporality: .cumulative)),
                            OTLPMetric(
                                name: "summary",
                                data: .summary(dataPoints: [
                                    OTLPSummaryDataPoint(
                                        attributes: [OTLPKeyValue("q", true)], timeUnixNano: 1, count: 1, sum: 1,
                                        quantileValues: [.init(quantile: 0.5, value: 1)])
                                ])),
                        ])
                ])
        ])
        var encoded = ContiguousArray<UInt8>()
        value.encodeProtobuf(into: &encoded)
        #expect(built == encoded)
        #expect(try built.withUnsafeBytes { try OTLPMetricsData(protobuf: $0) } == value)
    }
}
