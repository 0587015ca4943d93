import ProtobufWire

// logs.proto and logs_service.proto.

extension OTLPLogsData: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            if field.number == 1 { resourceLogs.append(try field.decode(at: "resourceLogs", index: resourceLogs.count, strings: &strings)) }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeMessages(field: 1, resourceLogs)
    }
}

extension OTLPResourceLogs: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            switch field.number {
            case 1: resource = try field.decode(merging: resource, at: "resource", strings: &strings)
            case 2: scopeLogs.append(try field.decode(at: "scopeLogs", index: scopeLogs.count, strings: &strings))
            case 3: schemaURL = try field.decodeString(at: "schemaUrl", strings: &strings)
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        if let resource { writer.writeMessage(field: 1, resource) }
        writer.writeMessages(field: 2, scopeLogs)
        writer.writeStringUnlessEmpty(field: 3, schemaURL)
    }
}

extension OTLPScopeLogs: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            switch field.number {
            case 1: scope = try field.decode(merging: scope, at: "scope", strings: &strings)
            case 2: logRecords.append(try field.decode(at: "logRecords", index: logRecords.count, strings: &strings))
            case 3: schemaURL = try field.decodeString(at: "schemaUrl", strings: &strings)
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        if let scope { writer.writeMessage(field: 1, scope) }
        writer.with(OTLPScopeLogsWriter.self) { scopeLogs in
            for record in logRecords { scopeLogs.logRecord(record) }
        }
        writer.writeStringUnlessEmpty(field: 3, schemaURL)
    }
}

extension OTLPLogRecord: ProtobufDecodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            switch field.number {
            case 1: timeUnixNano = try field.decodeFixed64()
            case 2: severityNumber = Severity(rawValue: try field.decodeInt32())
            case 3: severityText = try field.decodeString(at: "severityText", strings: &strings)
            case 5: body = try field.decode(merging: body, at: "body", strings: &strings)
            case 6: attributes.appendAttribute(try field.decode(at: "attributes", index: attributes.count, strings: &strings))
            case 7: droppedAttributesCount = try field.decodeUint32()
            case 8: flags = try field.decodeFixed32()
            case 9: traceID = try field.decodeTraceID(at: "traceId")
            case 10: spanID = try field.decodeSpanID(at: "spanId")
            case 11: observedTimeUnixNano = try field.decodeFixed64()
            case 12: eventName = try field.decodeString(at: "eventName", strings: &strings)
            default: break
            }
        }
    }
}
