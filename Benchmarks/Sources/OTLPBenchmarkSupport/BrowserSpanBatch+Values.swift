public import OTLPCodec

extension BrowserSpanBatch {
    /// The batch as OTLPCodec's values, which `encodeProtobuf(into:)` encodes.
    public var tracesData: OTLPTracesData {
        OTLPTracesData(resourceSpans: [
            OTLPResourceSpans(
                resource: OTLPResource(attributes: resourceAttributes.map { OTLPKeyValue($0.key, $0.value) }),
                scopeSpans: [
                    OTLPScopeSpans(
                        scope: OTLPInstrumentationScope(name: scopeName, version: scopeVersion),
                        spans: spans.map(\.otlpSpan))
                ])
        ])
    }
}

extension BrowserSpan {
    /// The span as OTLPCodec's value.
    var otlpSpan: OTLPSpan {
        OTLPSpan(
            traceID: traceID, spanID: spanID, parentSpanID: parentSpanID, flags: flags, name: name, kind: kind,
            startTimeUnixNano: startTimeUnixNano, endTimeUnixNano: endTimeUnixNano,
            attributes: [
                OTLPKeyValue(BrowserAttributeKey.url, url),
                OTLPKeyValue(BrowserAttributeKey.method, method),
                OTLPKeyValue(BrowserAttributeKey.sessionID, sessionID),
                OTLPKeyValue(BrowserAttributeKey.pageURL, pageURL),
                OTLPKeyValue(BrowserAttributeKey.statusCode, statusCode),
                OTLPKeyValue(BrowserAttributeKey.responseContentLength, responseContentLength),
                OTLPKeyValue(BrowserAttributeKey.timeToFirstByte, timeToFirstByteMilliseconds),
                OTLPKeyValue(BrowserAttributeKey.fromCache, fromCache),
            ],
            events: [
                OTLPSpan.Event(
                    timeUnixNano: event.timeUnixNano, name: event.name,
                    attributes: [OTLPKeyValue(BrowserAttributeKey.eventOffset, event.offsetMilliseconds)])
            ],
            links: [
                OTLPSpan.Link(
                    traceID: link.traceID, spanID: link.spanID,
                    attributes: [OTLPKeyValue(BrowserAttributeKey.linkType, link.type)])
            ],
            status: status)
    }
}
