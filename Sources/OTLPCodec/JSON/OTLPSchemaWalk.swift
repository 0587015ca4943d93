import ProtobufWire

/// Reads the protobuf bytes of an OTLP message over the message's schema and reports it to a
/// visitor: fields in field-number order, fields at their default left out (but oneof members and
/// `optional` fields reported when present), of a oneof only the member set last, of a singular
/// field repeated on the wire the last occurrence; unknown fields are skipped. Every value reported
/// has been checked (wire types, UTF-8, id lengths, nesting), so the errors are the walk's whatever
/// the visitor: writing OTLP/JSON and validating accept the same bytes.
enum OTLPSchemaWalk {
    /// Reports the message of `message`'s type that `reader` reads.
    static func walkMessage<Visitor: OTLPSchemaVisitor>(
        _ message: OTLPMessage, _ reader: ProtobufReader, visitor: inout Visitor
    ) throws(OTLPDecodingError) {
        visitor.beginMessage()
        var first = true
        // One scan checks the structure and finds which fields occur (the schema's numbers are all
        // below 64), which more than once, and of the oneof's members the one set last. The scans
        // of each field that follow read the same bytes again and cannot fail on them; those of
        // fields that do not occur are left out, those of fields that occur once stop at it.
        var oneofMembers: UInt64 = 0
        for field in message.fields where field.isOneofMember { oneofMembers |= 1 << field.number }
        var present: UInt64 = 0
        var presentTwice: UInt64 = 0
        var oneofWinner: Int?
        var scan = reader
        while let occurrence = try scan.next() {
            guard occurrence.number < 64 else { continue }
            let bit: UInt64 = 1 << occurrence.number
            presentTwice |= present & bit
            present |= bit
            if oneofMembers & bit != 0 { oneofWinner = occurrence.number }
        }
        for field in message.fields where present & (1 << field.number) != 0 {
            guard !field.isOneofMember || field.number == oneofWinner else { continue }
            do throws(OTLPDecodingError) {
                try walkField(
                    field, of: reader, once: presentTwice & (1 << field.number) == 0, oneofMembers: oneofMembers, first: &first,
                    visitor: &visitor)
            } catch {
                throw error.within(.field(String(decoding: field.name, as: UTF8.self)))
            }
        }
        visitor.endMessage()
    }

    /// Reports `field` of the message that `reader` reads, if it has a value to report; `once` when
    /// the field occurs only once; `oneofMembers` has a bit for each member of the message's oneof.
    private static func walkField<Visitor: OTLPSchemaVisitor>(
        _ field: OTLPField, of reader: ProtobufReader, once: Bool, oneofMembers: UInt64, first: inout Bool,
        visitor: inout Visitor
    ) throws(OTLPDecodingError) {
        var reader = reader
        switch field.cardinality {
        case .repeated, .packed:
            var count = 0
            while let occurrence = try reader.next() {
                guard occurrence.number == field.number else { continue }
                if occurrence.wireType == .lengthDelimited && field.wireType != .lengthDelimited {
                    try forEachPackedElement(field.kind, of: occurrence) { bits in
                        beginElement(field, index: count, first: &first, visitor: &visitor)
                        visitor.scalarBits(bits, kind: field.kind)
                        count += 1
                    }
                } else {
                    beginElement(field, index: count, first: &first, visitor: &visitor)
                    do throws(OTLPDecodingError) {
                        try walkValue(occurrence, kind: field.kind, visitor: &visitor)
                    } catch {
                        throw error.within(.index(count))
                    }
                    count += 1
                }
                if once { break }
            }
            if count > 0 { visitor.endElements() }
        case .single, .present:
            let message = reader
            var last: ProtobufField?
            // A message occurring again is merged into the earlier occurrences, as protobuf parses it:
            // their bytes back to back, from `mergedStart` on (another member of the oneof clears them).
            var mergedStart: ProtobufField?
            while let occurrence = try reader.next() {
                guard occurrence.number == field.number else {
                    if field.isOneofMember, occurrence.number < 64, oneofMembers & (1 << occurrence.number) != 0 {
                        mergedStart = nil
                    }
                    continue
                }
                if once {
                    last = occurrence
                    break
                }
                // Every occurrence is checked, not only the last one that is reported.
                var check = OTLPValidationVisitor()
                try walkValue(occurrence, kind: field.kind, visitor: &check)
                if mergedStart == nil { mergedStart = occurrence }
                last = occurrence
            }
            guard let last else { return }
            if field.cardinality == .single, try isDefault(last, kind: field.kind) { return }
            visitor.beginField(field, isFirst: first)
            first = false
            if case .message(let kind) = field.kind, let mergedStart, mergedStart.offset != last.offset {
                try walkMerged(kind, field.number, from: mergedStart, of: message, visitor: &visitor)
            } else {
                try walkValue(last, kind: field.kind, visitor: &visitor)
            }
        }
    }

    /// Reports the occurrences of message field `number` from `start` on, all checked already, as
    /// the one message that their bytes make back to back.
    private static func walkMerged<Visitor: OTLPSchemaVisitor>(
        _ message: OTLPMessage, _ number: Int, from start: ProtobufField, of reader: ProtobufReader, visitor: inout Visitor
    ) throws(OTLPDecodingError) {
        var reader = reader
        var merged = ContiguousArray<UInt8>()
        while let occurrence = try reader.next() {
            guard occurrence.number == number, occurrence.offset >= start.offset else { continue }
            merged.append(contentsOf: try occurrence.decodeBytes())
        }
        try merged.withTypedUnsafeBytes { (bytes) throws(OTLPDecodingError) in
            try walkMessage(message, ProtobufReader(bytes, maxDepth: reader.maxDepth), visitor: &visitor)
        }
    }

    /// Reports the start of element `index` of a repeated field: the field and its elements before
    /// the first, the next element after that.
    private static func beginElement<Visitor: OTLPSchemaVisitor>(
        _ field: OTLPField, index: Int, first: inout Bool, visitor: inout Visitor
    ) {
        if index == 0 {
            visitor.beginField(field, isFirst: first)
            first = false
            visitor.beginElements()
        } else {
            visitor.nextElement()
        }
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

    /// Reports the value of one occurrence of a field.
    private static func walkValue<Visitor: OTLPSchemaVisitor>(
        _ occurrence: ProtobufField, kind: OTLPField.Kind, visitor: inout Visitor
    ) throws(OTLPDecodingError) {
        switch kind {
        case .message(let message):
            let reader = try wire { () throws(ProtobufWireError) in try occurrence.message() }
            try walkMessage(message, reader, visitor: &visitor)
        case .string:
            visitor.string(try wire { () throws(ProtobufWireError) in try occurrence.stringBytes() })
        case .bytes: visitor.bytes(try occurrence.decodeBytes())
        case .traceID: visitor.traceID(try occurrence.decodeTraceID(at: ""))
        case .spanID: visitor.spanID(try occurrence.decodeSpanID(at: ""))
        case .bool: visitor.bool(try occurrence.decodeBool())
        case .int32, .enumeration: visitor.signed(Int(try occurrence.decodeInt32()))
        case .sint32: visitor.signed(Int(try occurrence.decodeSint32()))
        case .uint32: visitor.unsigned(UInt64(try occurrence.decodeUint32()))
        case .fixed32: visitor.unsigned(UInt64(try occurrence.decodeFixed32()))
        case .int64: visitor.scalarBits(UInt64(bitPattern: try occurrence.decodeInt64()), kind: kind)
        case .uint64: visitor.scalarBits(try occurrence.decodeUint64(), kind: kind)
        case .fixed64: visitor.scalarBits(try occurrence.decodeFixed64(), kind: kind)
        case .sfixed64: visitor.scalarBits(UInt64(bitPattern: try occurrence.decodeSfixed64()), kind: kind)
        case .double: visitor.double(try occurrence.decodeDouble())
        }
    }
}
