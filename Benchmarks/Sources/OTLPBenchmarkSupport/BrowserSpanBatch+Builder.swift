import OTLPCodec

extension BrowserSpanBatch {
    /// Appends the batch to `buffer` as an `ExportTraceServiceRequest`, with OTLPCodec's builder:
    /// an exporter's hot path, straight from its own spans into the buffer.
    public func appendProtobuf(to buffer: inout ContiguousArray<UInt8>) {
        OTLPTracesBuilder.append(to: &buffer) { traces in
            traces.resourceSpans(resource: { resource in
                for (key, value) in resourceAttributes { resource.attribute(key, value) }
            }) { resource in
                resource.scopeSpans(name: scopeName, version: scopeVersion) { scope in
                    for span in spans { span.write(to: &scope) }
                }
            }
        }
    }
}

extension BrowserSpan {
    /// Appends the span, its attributes, event and link to `scope`.
    func write(to scope: inout OTLPScopeSpansWriter) {
        scope.span(
            traceID: traceID, spanID: spanID, parentSpanID: parentSpanID, flags: flags, name: name, kind: kind,
            startTimeUnixNano: startTimeUnixNano, endTimeUnixNano: endTimeUnixNano, status: status
        ) { span in
            span.attribute(BrowserAttributeKey.url, url)
            span.attribute(BrowserAttributeKey.method, method)
            span.attribute(BrowserAttributeKey.sessionID, sessionID)
            span.attribute(BrowserAttributeKey.pageURL, pageURL)
            span.attribute(BrowserAttributeKey.statusCode, statusCode)
            span.attribute(BrowserAttributeKey.responseContentLength, responseContentLength)
            span.attribute(BrowserAttributeKey.timeToFirstByte, timeToFirstByteMilliseconds)
            span.attribute(BrowserAttributeKey.fromCache, fromCache)
            span.event(timeUnixNano: event.timeUnixNano, name: event.name) {
                $0.attribute(BrowserAttributeKey.eventOffset, event.offsetMilliseconds)
            }
            span.link(traceID: link.traceID, spanID: link.spanID) {
                $0.attribute(BrowserAttributeKey.linkType, link.type)
            }
        }
    }
}
