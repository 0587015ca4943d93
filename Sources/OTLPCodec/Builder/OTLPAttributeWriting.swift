public import ProtobufWire

/// A writer of an OTLP message that has attributes (`repeated KeyValue`): each call appends one
/// attribute straight to the buffer, with no intermediate value.
public protocol OTLPAttributeWriting {
    /// The writer that the message's fields go to.
    var writer: ProtobufWriter { get set }
    /// The field number of the message's attributes.
    static var attributesField: Int { get }
}

extension OTLPAttributeWriting {
    /// Appends an attribute with a string value.
    public mutating func attribute(_ key: String, _ value: String) {
        writeAttribute(key) { $0.writeString(field: 1, value) }
    }

    /// Appends an attribute with an integer value.
    public mutating func attribute(_ key: String, _ value: Int64) {
        writeAttribute(key) { $0.writeInt64(field: 3, value) }
    }

    /// Appends an attribute with an integer value.
    public mutating func attribute(_ key: String, _ value: Int) {
        attribute(key, Int64(value))
    }

    /// Appends an attribute with a double value.
    public mutating func attribute(_ key: String, _ value: Double) {
        writeAttribute(key) { $0.writeDouble(field: 4, value) }
    }

    /// Appends an attribute with a boolean value.
    public mutating func attribute(_ key: String, _ value: Bool) {
        writeAttribute(key) { $0.writeBool(field: 2, value) }
    }

    /// Appends an attribute with a bytes value.
    public mutating func attribute(_ key: String, bytes value: UnsafeRawBufferPointer) {
        writeAttribute(key) { $0.writeBytes(field: 7, value) }
    }

    /// Appends an attribute with any value (arrays and key-value lists included).
    public mutating func attribute(_ key: String, _ value: OTLPAnyValue) {
        writer.writeMessage(field: Self.attributesField, OTLPKeyValue(key: key, value: value))
    }

    /// Appends each of `attributes`.
    public mutating func attributes(_ attributes: [OTLPKeyValue]) {
        writer.writeMessages(field: Self.attributesField, attributes)
    }

    /// Appends a `KeyValue` of `key` whose `AnyValue` fields `value` writes.
    private mutating func writeAttribute(_ key: String, _ value: (inout ProtobufWriter) -> Void) {
        writer.writeMessage(field: Self.attributesField) { keyValue in
            keyValue.writeStringUnlessEmpty(field: 1, key)
            keyValue.writeMessage(field: 2, value)
        }
    }
}

extension ProtobufWriter {
    /// Runs `body` with a message writer of type `W` that takes this writer's buffer, and takes the buffer back.
    @inline(__always)
    mutating func with<W: OTLPMessageWriting>(_: W.Type, _ body: (inout W) -> Void) {
        var message = W(writer: ProtobufWriter())
        swap(&message.writer, &self)
        body(&message)
        swap(&message.writer, &self)
    }
}

/// A writer of the fields of one OTLP message, which borrows a `ProtobufWriter`'s buffer.
public protocol OTLPMessageWriting {
    /// The writer that the message's fields go to.
    var writer: ProtobufWriter { get set }
    /// Wraps `writer`.
    init(writer: ProtobufWriter)
}
