import FaroModel
import ProtobufWire

/// Writes OTLP/JSON for protobuf bytes of an OTLP message, walking the message's schema: fields in
/// field-number order, lowerCamelCase names, ids as lowercase hex, enums as numbers, 64-bit integers
/// as strings, other bytes as base64, NaN and infinities as strings, fields at their default left out
/// (but oneof members and `optional` fields written when present). Unknown fields are skipped; of a
/// singular field repeated on the wire, the last occurrence is written.
enum OTLPJSONWriter {
    /// Appends the JSON object of the message of `message`'s type that `reader` reads.
    static func writeMessage(
        _ message: OTLPMessage, _ reader: ProtobufReader, to out: inout ContiguousArray<UInt8>
    ) throws(OTLPDecodingError) {
        out.append(UInt8(ascii: "{"))
        var first = true
        // Of the oneof's members, the one set last.
        var oneofWinner: Int?
        var scan = reader
        while let occurrence = try scan.next() {
            if message.fields.contains(where: { $0.number == occurrence.number && $0.isOneofMember }) {
                oneofWinner = occurrence.number
            }
        }
        for field in message.fields where !field.isOneofMember || field.number == oneofWinner {
            do throws(OTLPDecodingError) {
                try writeField(field, of: reader, first: &first, to: &out)
            } catch {
                throw error.within(.field(String(decoding: field.name, as: UTF8.self)))
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Writes `field` of the message that `reader` reads, if it has a value to write.
    private static func writeField(
        _ field: OTLPField, of reader: ProtobufReader, first: inout Bool, to out: inout ContiguousArray<UInt8>
    ) throws(OTLPDecodingError) {
        var reader = reader
        switch field.cardinality {
        case .repeated, .packed:
            var count = 0
            while let occurrence = try reader.next() {
                guard occurrence.number == field.number else { continue }
                if occurrence.wireType == .lengthDelimited && field.wireType != .lengthDelimited {
                    try forEachPackedElement(field.kind, of: occurrence) { bits in
                        writeSeparator(field, index: count, first: &first, to: &out)
                        writeScalarBits(bits, kind: field.kind, to: &out)
                        count += 1
                    }
                } else {
                    writeSeparator(field, index: count, first: &first, to: &out)
                    do throws(OTLPDecodingError) {
                        try writeValue(occurrence, kind: field.kind, to: &out)
                    } catch {
                        throw error.within(.index(count))
                    }
                    count += 1
                }
            }
            if count > 0 { out.append(UInt8(ascii: "]")) }
        case .single, .present:
            var last: ProtobufField?
            while let occurrence = try reader.next() {
                if occurrence.number == field.number { last = occurrence }
            }
            guard let last else { return }
            if field.cardinality == .single, try isDefault(last, kind: field.kind) { return }
            writeName(field, first: &first, to: &out)
            try writeValue(last, kind: field.kind, to: &out)
        }
    }

    /// Writes `,` (unless first), the name and `[` before the first element of a repeated field, or `,` between elements.
    private static func writeSeparator(_ field: OTLPField, index: Int, first: inout Bool, to out: inout ContiguousArray<UInt8>) {
        if index == 0 {
            writeName(field, first: &first, to: &out)
            out.append(UInt8(ascii: "["))
        } else {
            out.append(UInt8(ascii: ","))
        }
    }

    /// Writes `,` (unless first) and `"name":`.
    private static func writeName(_ field: OTLPField, first: inout Bool, to out: inout ContiguousArray<UInt8>) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: field.name)
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    /// Whether a singular scalar occurrence holds its type's default (proto3 implicit presence).
    private static func isDefault(_ occurrence: ProtobufField, kind: OTLPField.Kind) throws(OTLPDecodingError) -> Bool {
        switch kind {
        case .message: return false
        case .string, .bytes, .traceID, .spanID: return try occurrence.decodeBytes().isEmpty
        case .bool, .int32, .uint32, .sint32, .int64, .uint64, .enumeration: return try occurrence.decodeUint64() == 0
        case .fixed64, .sfixed64, .double: return try occurrence.decodeFixed64() == 0
        case .fixed32: return try occurrence.decodeFixed32() == 0
        }
    }

    /// Calls `body` with each element of a packed repeated scalar occurrence, as raw bits.
    private static func forEachPackedElement(
        _ kind: OTLPField.Kind, of occurrence: ProtobufField, _ body: (UInt64) -> Void
    ) throws(OTLPDecodingError) {
        try wire { () throws(ProtobufWireError) in
            switch kind {
            case .fixed64, .sfixed64, .double: try occurrence.forEachFixed64 { body($0) }
            case .fixed32: try occurrence.forEachFixed32 { body(UInt64($0)) }
            default: try occurrence.forEachVarint { body($0) }
            }
        }
    }

    /// Writes one scalar element of a repeated or 64-bit field from its raw bits: 64-bit integers in quotes.
    private static func writeScalarBits(_ bits: UInt64, kind: OTLPField.Kind, to out: inout ContiguousArray<UInt8>) {
        switch kind {
        case .double: writeDouble(Double(bitPattern: bits), to: &out)
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
    private static func writeDouble(_ value: Double, to out: inout ContiguousArray<UInt8>) {
        if value.isNaN {
            out.appendStatic("\"NaN\"")
        } else if value.isInfinite {
            out.appendStatic(value < 0 ? "\"-Infinity\"" : "\"Infinity\"")
        } else {
            GoNumberFormat.appendJSON(value, to: &out)
        }
    }

    /// Writes the value of one occurrence of a field.
    private static func writeValue(_ occurrence: ProtobufField, kind: OTLPField.Kind, to out: inout ContiguousArray<UInt8>) throws(OTLPDecodingError) {
        switch kind {
        case .message(let message):
            let reader = try wire { () throws(ProtobufWireError) in try occurrence.message() }
            try writeMessage(message, reader, to: &out)
        case .string:
            // Checked for UTF-8, then written from the bytes.
            _ = try wire { () throws(ProtobufWireError) in try occurrence.string() }
            GoJSONString.append(try occurrence.decodeBytes(), to: &out)
        case .bytes:
            out.append(UInt8(ascii: "\""))
            Base64.append(try occurrence.decodeBytes(), to: &out)
            out.append(UInt8(ascii: "\""))
        case .traceID:
            guard let id = try occurrence.decodeTraceID(at: "") else { return out.appendStatic("\"\"") }
            out.append(UInt8(ascii: "\""))
            HexDigits.append(id.high, to: &out)
            HexDigits.append(id.low, to: &out)
            out.append(UInt8(ascii: "\""))
        case .spanID:
            guard let id = try occurrence.decodeSpanID(at: "") else { return out.appendStatic("\"\"") }
            out.append(UInt8(ascii: "\""))
            HexDigits.append(id.value, to: &out)
            out.append(UInt8(ascii: "\""))
        case .bool: out.appendStatic(try occurrence.decodeBool() ? "true" : "false")
        case .int32, .enumeration: GoNumberFormat.appendDecimal(Int(try occurrence.decodeInt32()), to: &out)
        case .sint32: GoNumberFormat.appendDecimal(Int(try occurrence.decodeSint32()), to: &out)
        case .uint32: GoNumberFormat.appendDecimal(UInt64(try occurrence.decodeUint32()), to: &out)
        case .fixed32: GoNumberFormat.appendDecimal(UInt64(try occurrence.decodeFixed32()), to: &out)
        case .int64: writeScalarBits(UInt64(bitPattern: try occurrence.decodeInt64()), kind: kind, to: &out)
        case .uint64: writeScalarBits(try occurrence.decodeUint64(), kind: kind, to: &out)
        case .fixed64: writeScalarBits(try occurrence.decodeFixed64(), kind: kind, to: &out)
        case .sfixed64: writeScalarBits(UInt64(bitPattern: try occurrence.decodeSfixed64()), kind: kind, to: &out)
        case .double: writeDouble(try occurrence.decodeDouble(), to: &out)
        }
    }
}
