import ProtobufWire

// common.proto and resource.proto: AnyValue, KeyValue, InstrumentationScope, Resource, EntityRef.

extension OTLPAnyValue: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self = .empty
        while let field = try reader.next() {
            switch field.number {
            case 1: self = .string(try field.decodeString(at: "stringValue", strings: &strings))
            case 2: self = .bool(try field.decodeBool())
            case 3: self = .int(try field.decodeInt64())
            case 4: self = .double(try field.decodeDouble())
            // A oneof member that occurs again merges into the earlier occurrence; another member replaces it.
            case 5:
                let earlier: OTLPArrayValue? = if case .array(let values) = self { OTLPArrayValue(values: values) } else { nil }
                self = .array(try field.decode(merging: earlier, at: "arrayValue", strings: &strings).values)
            case 6:
                let earlier: OTLPKeyValueList? = if case .keyValueList(let values) = self { OTLPKeyValueList(values: values) } else { nil }
                self = .keyValueList(try field.decode(merging: earlier, at: "kvlistValue", strings: &strings).values)
            case 7: self = .bytes(Array(try field.decodeBytes()))
            case 8: self = .stringIndex(try field.decodeInt32())
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        switch self {
        case .empty: break
        case .string(let value): writer.writeString(field: 1, value)
        case .bool(let value): writer.writeBool(field: 2, value)
        case .int(let value): writer.writeInt64(field: 3, value)
        case .double(let value): writer.writeDouble(field: 4, value)
        case .array(let values): writer.writeMessage(field: 5, OTLPArrayValue(values: values))
        case .keyValueList(let values): writer.writeMessage(field: 6, OTLPKeyValueList(values: values))
        case .bytes(let value): writer.writeBytes(field: 7, value)
        case .stringIndex(let value): writer.writeInt32(field: 8, value)
        }
    }
}

/// `ArrayValue`: the values of an array value.
struct OTLPArrayValue: ProtobufDecodable, ProtobufEncodable {
    var values: [OTLPAnyValue]

    init(values: [OTLPAnyValue]) { self.values = values }

    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        values = []
        while let field = try reader.next() {
            if field.number == 1 { values.append(try field.decode(at: "values", index: values.count, strings: &strings)) }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        // Every element is written, an empty one as an empty message, so that positions hold.
        writer.writeMessages(field: 1, values)
    }
}

/// `KeyValueList`: the pairs of a key-value list value.
struct OTLPKeyValueList: ProtobufDecodable, ProtobufEncodable {
    var values: [OTLPKeyValue]

    init(values: [OTLPKeyValue]) { self.values = values }

    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        values = []
        while let field = try reader.next() {
            if field.number == 1 { values.append(try field.decode(at: "values", index: values.count, strings: &strings)) }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeMessages(field: 1, values)
    }
}

extension OTLPKeyValue: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(key: "", value: .empty)
        while let field = try reader.next() {
            switch field.number {
            case 1: key = try field.decodeString(at: "key", strings: &strings)
            case 2: value = try field.decode(merging: value == .empty ? nil : value, at: "value", strings: &strings)
            case 3: keyStringIndex = try field.decodeInt32()
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeStringUnlessEmpty(field: 1, key)
        if value != .empty { writer.writeMessage(field: 2, value) }
        writer.writeInt32UnlessZero(field: 3, keyStringIndex)
    }
}

extension OTLPInstrumentationScope: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            switch field.number {
            case 1: name = try field.decodeString(at: "name", strings: &strings)
            case 2: version = try field.decodeString(at: "version", strings: &strings)
            case 3: attributes.appendAttribute(try field.decode(at: "attributes", index: attributes.count, strings: &strings))
            case 4: droppedAttributesCount = try field.decodeUint32()
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeStringUnlessEmpty(field: 1, name)
        writer.writeStringUnlessEmpty(field: 2, version)
        writer.writeMessages(field: 3, attributes)
        writer.writeVarintUnlessZero(field: 4, UInt64(droppedAttributesCount))
    }
}

extension OTLPResource: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init()
        while let field = try reader.next() {
            switch field.number {
            case 1: attributes.appendAttribute(try field.decode(at: "attributes", index: attributes.count, strings: &strings))
            case 2: droppedAttributesCount = try field.decodeUint32()
            case 3: entityRefs.append(try field.decode(at: "entityRefs", index: entityRefs.count, strings: &strings))
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeMessages(field: 1, attributes)
        writer.writeVarintUnlessZero(field: 2, UInt64(droppedAttributesCount))
        writer.writeMessages(field: 3, entityRefs)
    }
}

extension OTLPEntityRef: ProtobufDecodable, ProtobufEncodable {
    init(protobuf reader: inout ProtobufReader, strings: inout OTLPStringTable) throws(OTLPDecodingError) {
        self.init(type: "")
        while let field = try reader.next() {
            switch field.number {
            case 1: schemaURL = try field.decodeString(at: "schemaUrl", strings: &strings)
            case 2: type = try field.decodeString(at: "type", strings: &strings)
            case 3: idKeys.append(try field.decodeString(at: "idKeys", strings: &strings))
            case 4: descriptionKeys.append(try field.decodeString(at: "descriptionKeys", strings: &strings))
            default: break
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.writeStringUnlessEmpty(field: 1, schemaURL)
        writer.writeStringUnlessEmpty(field: 2, type)
        for key in idKeys { writer.writeString(field: 3, key) }
        for key in descriptionKeys { writer.writeString(field: 4, key) }
    }
}
