import FaroModel
import ProtobufWire

/// Writes OTLP/JSON for protobuf bytes of an OTLP message as `OTLPSchemaWalk` reports them:
/// lowerCamelCase names, ids as lowercase hex, enums as numbers, 64-bit integers as strings, other
/// bytes as base64, NaN and infinities as strings.
struct OTLPJSONWriter: OTLPSchemaVisitor {
    /// The caller's buffer, while the walk writes to it.
    private var out = ContiguousArray<UInt8>()

    /// Appends the JSON object of the message of `message`'s type that `reader` reads.
    static func writeMessage(
        _ message: OTLPMessage, _ reader: ProtobufReader, to out: inout ContiguousArray<UInt8>
    ) throws(OTLPDecodingError) {
        var writer = OTLPJSONWriter()
        // The buffer moves into the writer and back, without a copy.
        swap(&writer.out, &out)
        defer { swap(&writer.out, &out) }
        try OTLPSchemaWalk.walkMessage(message, reader, visitor: &writer)
    }

    /// Writes `{`.
    mutating func beginMessage() { out.append(UInt8(ascii: "{")) }

    /// Writes `}`.
    mutating func endMessage() { out.append(UInt8(ascii: "}")) }

    /// Writes `,` (unless first) and `"name":`.
    mutating func beginField(_ field: OTLPField, isFirst: Bool) {
        if !isFirst { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: field.name)
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    /// Writes `[`.
    mutating func beginElements() { out.append(UInt8(ascii: "[")) }

    /// Writes `,`.
    mutating func nextElement() { out.append(UInt8(ascii: ",")) }

    /// Writes `]`.
    mutating func endElements() { out.append(UInt8(ascii: "]")) }

    /// Writes one scalar element of a repeated or 64-bit field from its raw bits: 64-bit integers in quotes.
    mutating func scalarBits(_ bits: UInt64, kind: OTLPField.Kind) {
        switch kind {
        case .double: double(Double(bitPattern: bits))
        case .int64, .sfixed64:
            out.append(UInt8(ascii: "\""))
            GoNumberFormat.appendDecimal(Int(Int64(bitPattern: bits)), to: &out)
            out.append(UInt8(ascii: "\""))
        default:
            out.append(UInt8(ascii: "\""))
            GoNumberFormat.appendDecimal(bits, to: &out)
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Writes a double: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
    mutating func double(_ value: Double) {
        if value.isNaN {
            out.appendStatic("\"NaN\"")
        } else if value.isInfinite {
            out.appendStatic(value < 0 ? "\"-Infinity\"" : "\"Infinity\"")
        } else {
            GoNumberFormat.appendJSON(value, to: &out)
        }
    }

    /// Writes `true` or `false`.
    mutating func bool(_ value: Bool) { out.appendStatic(value ? "true" : "false") }

    /// Writes a number.
    mutating func signed(_ value: Int) { GoNumberFormat.appendDecimal(value, to: &out) }

    /// Writes a number.
    mutating func unsigned(_ value: UInt64) { GoNumberFormat.appendDecimal(value, to: &out) }

    /// Writes a JSON string.
    mutating func string(_ utf8: UnsafeRawBufferPointer) { GoJSONString.append(utf8, to: &out) }

    /// Writes base64 in quotes.
    mutating func bytes(_ bytes: UnsafeRawBufferPointer) {
        out.append(UInt8(ascii: "\""))
        Base64.append(bytes, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Writes lowercase hex in quotes, or `""`.
    mutating func traceID(_ id: OTLPTraceID?) {
        guard let id else { return out.appendStatic("\"\"") }
        out.append(UInt8(ascii: "\""))
        HexDigits.append(id.high, to: &out)
        HexDigits.append(id.low, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Writes lowercase hex in quotes, or `""`.
    mutating func spanID(_ id: OTLPSpanID?) {
        guard let id else { return out.appendStatic("\"\"") }
        out.append(UInt8(ascii: "\""))
        HexDigits.append(id.value, to: &out)
        out.append(UInt8(ascii: "\""))
    }
}
