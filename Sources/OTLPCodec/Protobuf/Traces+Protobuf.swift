import ProtobufWire

// trace.proto and trace_service.proto.

extension OTLPTracesData: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            if field.number == 1 { resourceSpans.append(try field.decode(at: "resourceSpans", index: resourceSpans.count, strings: &strings)) }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeMessages(field: 1, resourceSpans)
    }
}

extension OTLPResourceSpans: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            switch field.number {
            case 1: resource = try field.decode(merging: resource, at: "resource", strings: &strings)
            case 2: scopeSpans.append(try field.decode(at: "scopeSpans", index: scopeSpans.count, strings: &strings))
            case 3: schemaURL = try field.decodeString(at: "schemaUrl", strings: &strings)
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        if let resource { writer.writeMessage(field: 1, resource) }
        writer.writeMessages(field: 2, scopeSpans)
        writer.writeStringUnlessEmpty(field: 3, schemaURL)
    }
}

extension OTLPScopeSpans: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            switch field.number {
            case 1: scope = try field.decode(merging: scope, at: "scope", strings: &strings)
            case 2: spans.append(try field.decode(at: "spans", index: spans.count, strings: &strings))
            case 3: schemaURL = try field.decodeString(at: "schemaUrl", strings: &strings)
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        if let scope { writer.writeMessage(field: 1, scope) }
        writer.with(OTLPScopeSpansWriter.self) { scopeSpans in
            for span in spans { scopeSpans.span(span) }
        }
        writer.writeStringUnlessEmpty(field: 3, schemaURL)
    }
}

extension OTLPSpan: ProtobufDecodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(traceID: nil, spanID: nil, name: "", startTimeUnixNano: 0, endTimeUnixNano: 0)
        while let field = try reader.next() {
            switch field.number {
            case 1: traceID = try field.decodeTraceID(at: "traceId")
            case 2: spanID = try field.decodeSpanID(at: "spanId")
            case 3: traceState = try field.decodeString(at: "traceState", strings: &strings)
            case 4: parentSpanID = try field.decodeSpanID(at: "parentSpanId")
            case 5: name = try field.decodeString(at: "name", strings: &strings)
            case 6: kind = Kind(rawValue: try field.decodeInt32())
            case 7: startTimeUnixNano = try field.decodeFixed64()
            case 8: endTimeUnixNano = try field.decodeFixed64()
            case 9: attributes.appendAttribute(try field.decode(at: "attributes", index: attributes.count, strings: &strings))
            case 10: droppedAttributesCount = try field.decodeUint32()
            case 11: events.append(try field.decode(at: "events", index: events.count, strings: &strings))
            case 12: droppedEventsCount = try field.decodeUint32()
            case 13: links.append(try field.decode(at: "links", index: links.count, strings: &strings))
            case 14: droppedLinksCount = try field.decodeUint32()
            case 15: status = try field.decode(merging: status, at: "status", strings: &strings)
            case 16: flags = try field.decodeFixed32()
            default: break
            }
        }
    }
}

extension OTLPSpan.Event: ProtobufDecodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(timeUnixNano: 0, name: "")
        while let field = try reader.next() {
            switch field.number {
            case 1: timeUnixNano = try field.decodeFixed64()
            case 2: name = try field.decodeString(at: "name", strings: &strings)
            case 3: attributes.appendAttribute(try field.decode(at: "attributes", index: attributes.count, strings: &strings))
            case 4: droppedAttributesCount = try field.decodeUint32()
            default: break
            }
        }
    }
}

extension OTLPSpan.Link: ProtobufDecodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(traceID: nil, spanID: nil)
        while let field = try reader.next() {
            switch field.number {
            case 1: traceID = try field.decodeTraceID(at: "traceId")
            case 2: spanID = try field.decodeSpanID(at: "spanId")
            case 3: traceState = try field.decodeString(at: "traceState", strings: &strings)
            case 4: attributes.appendAttribute(try field.decode(at: "attributes", index: attributes.count, strings: &strings))
            case 5: droppedAttributesCount = try field.decodeUint32()
            case 6: flags = try field.decodeFixed32()
            default: break
            }
        }
    }
}

extension OTLPStatus: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            switch field.number {
            case 2: message = try field.decodeString(at: "message", strings: &strings)
            case 3: code = Code(rawValue: try field.decodeInt32())
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeStringUnlessEmpty(field: 2, message)
        writer.writeInt32UnlessZero(field: 3, code.rawValue)
    }
}
