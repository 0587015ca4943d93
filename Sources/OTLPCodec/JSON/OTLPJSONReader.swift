import FaroModel
import ProtobufWire

/// Reads OTLP/JSON with FaroModel's JSON scanner and writes the protobuf encoding of the same
/// message as it reads, in one pass, without building the message.
///
/// It accepts what the OTLP specification says receivers accept, and what the OpenTelemetry
/// Collector accepts besides: lowerCamelCase names and the proto (snake_case) names, the names of
/// OTLP before 0.19 (`instrumentationLibrarySpans`, `instrumentationLibrary`), ids as hex in either
/// case, enums as numbers or names, 64-bit integers as strings or numbers, doubles as numbers or
/// as the strings `NaN`, `Infinity` and `-Infinity`, base64 in either alphabet, and `null` for an
/// absent field. Unknown fields are skipped. Fields come out in the order they come in.
struct OTLPJSONReader {
    private var scanner: JSONScanner
    /// Room for the unescaped content of a string with escapes.
    private var unescaped = ContiguousArray<UInt8>()

    /// A reader of `json`, with messages nested at most `maxDepth` deep.
    init(_ json: UnsafeRawBufferPointer, maxDepth: Int) {
        // An object and an array per level of messages, and one level more for the values of AnyValue arrays.
        let (twice, overflow) = Swift.max(maxDepth, 0).multipliedReportingOverflow(by: 2)
        scanner = JSONScanner(json, maxNestingDepth: overflow ? .max : twice + 1)
    }

    /// Reads the whole input as one `message` and writes its fields to `writer`.
    mutating func readDocument(_ message: OTLPMessage, into writer: inout ProtobufWriter) throws(OTLPDecodingError) {
        try readMessage(message, into: &writer)
        guard scanner.isAtEnd() else { throw OTLPDecodingError(.invalidJSON(.trailingData), offset: scanner.offset) }
    }

    /// Runs a scanner step, turning its error into an `OTLPDecodingError`.
    @inline(__always)
    private mutating func scan<T>(_ body: (inout JSONScanner) throws(FaroDecodingError) -> T) throws(OTLPDecodingError) -> T {
        do {
            return try body(&scanner)
        } catch {
            throw OTLPDecodingError(error)
        }
    }

    /// An error for the next value, of another JSON type than `expected`.
    private mutating func mismatch(_ expected: JSONValueKind) throws(OTLPDecodingError) -> OTLPDecodingError {
        OTLPDecodingError(try scan { (scanner) throws(FaroDecodingError) in try scanner.mismatch(expected: expected) })
    }

    /// Reads an object of `message`'s fields.
    private mutating func readMessage(_ message: OTLPMessage, into writer: inout ProtobufWriter) throws(OTLPDecodingError) {
        guard try scan({ (scanner) throws(FaroDecodingError) in try scanner.peek() }) == UInt8(ascii: "{") else {
            throw try mismatch(.object)
        }
        try scan { (scanner) throws(FaroDecodingError) in try scanner.beginObject() }
        let fields = message.fields
        var first = true
        while let key = try scan({ (scanner) throws(FaroDecodingError) in try scanner.nextMember(first: &first) }) {
            guard let field = field(named: key, in: fields) else {
                try scan { (scanner) throws(FaroDecodingError) in try scanner.skipValue() }
                continue
            }
            do throws(OTLPDecodingError) {
                try readField(field, into: &writer)
            } catch {
                throw error.within(.field(String(decoding: field.name, as: UTF8.self)))
            }
        }
    }

    /// The field whose OTLP/JSON, proto or legacy name is `key`.
    private mutating func field(named key: JSONString, in fields: [OTLPField]) -> OTLPField? {
        withContent(of: key) { name in
            let fields = fields.span
            for index in fields.indices where Self.equal(fields[index].name, name) || Self.equal(fields[index].protoName, name) {
                return fields[index]
            }
            for index in fields.indices {
                if let legacyName = fields[index].legacyName, Self.equal(legacyName, name) { return fields[index] }
            }
            return nil
        }
    }

    /// Whether `name` holds the bytes of `text`: the lengths, which tell most names apart, are
    /// compared first, then the bytes eight at a time.
    @inline(__always)
    private static func equal(_ name: UnsafeBufferPointer<UInt8>, _ text: UnsafeRawBufferPointer) -> Bool {
        name.count == text.count && UnsafeRawBufferPointer(name).bytesEqual(text)
    }

    /// Reads the value of `field` (an array for a repeated field) and writes it.
    private mutating func readField(_ field: OTLPField, into writer: inout ProtobufWriter) throws(OTLPDecodingError) {
        if try scan({ (scanner) throws(FaroDecodingError) in try scanner.consumeNull() }) { return }
        switch field.cardinality {
        case .single: try readValue(field, omitDefault: true, into: &writer)
        case .present: try readValue(field, omitDefault: false, into: &writer)
        case .repeated:
            try readArray { (reader, index) throws(OTLPDecodingError) in
                do throws(OTLPDecodingError) {
                    try reader.readValue(field, omitDefault: false, into: &writer)
                } catch {
                    throw error.within(.index(index))
                }
            }
        case .packed:
            let start = writer.count
            var elements = 0
            try writer.writeMessage(field: field.number) { (packed: inout ProtobufWriter) throws(OTLPDecodingError) in
                try readArray { (reader, index) throws(OTLPDecodingError) in
                    do throws(OTLPDecodingError) {
                        try reader.readPackedElement(field.kind, into: &packed)
                    } catch {
                        throw error.within(.index(index))
                    }
                    elements += 1
                }
            }
            // An empty array writes nothing, as an empty repeated field.
            if elements == 0 { writer.bytes.removeSubrange(start...) }
        }
    }

    /// Reads an array, calling `element` for each element after checking it is not `null`.
    private mutating func readArray(
        _ element: (inout OTLPJSONReader, Int) throws(OTLPDecodingError) -> Void
    ) throws(OTLPDecodingError) {
        guard try scan({ (scanner) throws(FaroDecodingError) in try scanner.peek() }) == UInt8(ascii: "[") else {
            throw try mismatch(.array)
        }
        try scan { (scanner) throws(FaroDecodingError) in try scanner.beginArray() }
        var first = true
        var index = 0
        while try scan({ (scanner) throws(FaroDecodingError) in try scanner.nextElement(first: &first) }) {
            if try scan({ (scanner) throws(FaroDecodingError) in try scanner.peekKind() }) == .null {
                throw try mismatch(.object).within(.index(index))
            }
            try element(&self, index)
            index += 1
        }
    }

    /// Reads one value of `field` and writes it as the field; a scalar at its default is left out when `omitDefault`.
    private mutating func readValue(_ field: OTLPField, omitDefault: Bool, into writer: inout ProtobufWriter) throws(OTLPDecodingError) {
        let number = field.number
        switch field.kind {
        case .message(let message):
            try writer.writeMessage(field: number) { (inner: inout ProtobufWriter) throws(OTLPDecodingError) in
                try readMessage(message, into: &inner)
            }
        case .string:
            try withStringContent { text in
                if !(omitDefault && text.isEmpty) { writer.writeBytes(field: number, text) }
            }
        case .bytes:
            let offset = scanner.offset
            guard let bytes = try withStringContent({ Base64.decode($0) }) else {
                throw OTLPDecodingError(.invalidBase64, offset: offset)
            }
            if !(omitDefault && bytes.isEmpty) { writer.writeBytes(field: number, bytes) }
        case .traceID:
            let offset = scanner.offset
            let (length, id) = try withStringContent { ($0.count, OTLPTraceID(hexUTF8: $0)) }
            if length == 0 { return }
            guard let id else { throw OTLPDecodingError(Self.idError(length: length, size: 16), offset: offset) }
            writer.writeTraceID(field: number, id)
        case .spanID:
            let offset = scanner.offset
            let (length, id) = try withStringContent { ($0.count, OTLPSpanID(hexUTF8: $0)) }
            if length == 0 { return }
            guard let id else { throw OTLPDecodingError(Self.idError(length: length, size: 8), offset: offset) }
            writer.writeSpanID(field: number, id)
        case .bool:
            guard try scan({ (scanner) throws(FaroDecodingError) in try scanner.peekKind() }) == .bool else { throw try mismatch(.bool) }
            let value = try scan { (scanner) throws(FaroDecodingError) in try scanner.readBool() }
            if value || !omitDefault { writer.writeBool(field: number, value) }
        case .double:
            let value = try readDouble()
            if value.bitPattern != 0 || !omitDefault { writer.writeDouble(field: number, value) }
        case .enumeration(let enumeration):
            let value = try readEnum(enumeration)
            if value != 0 || !omitDefault { writer.writeInt32(field: number, value) }
        case .int32, .sint32, .int64, .sfixed64:
            let range: ClosedRange<Int64> = field.kind.is32Bit ? Int64(Int32.min)...Int64(Int32.max) : Int64.min...Int64.max
            let value = try readSignedInteger(in: range)
            if value == 0 && omitDefault { return }
            switch field.kind {
            case .int32, .int64: writer.writeInt64(field: number, value)
            case .sint32: writer.writeSInt32(field: number, Int32(value))
            default: writer.writeSFixed64(field: number, value)
            }
        case .uint32, .uint64, .fixed32, .fixed64:
            let value = try readUnsignedInteger(maximum: field.kind.is32Bit ? UInt64(UInt32.max) : UInt64.max)
            if value == 0 && omitDefault { return }
            switch field.kind {
            case .fixed32: writer.writeFixed32(field: number, UInt32(value))
            case .fixed64: writer.writeFixed64(field: number, value)
            default: writer.writeVarint(field: number, value)
            }
        }
    }

    /// Reads one element of a packed field and appends it, without a tag.
    private mutating func readPackedElement(_ kind: OTLPField.Kind, into writer: inout ProtobufWriter) throws(OTLPDecodingError) {
        switch kind {
        case .double: writer.appendFixed64(try readDouble().bitPattern)
        case .fixed64: writer.appendFixed64(try readUnsignedInteger(maximum: .max))
        default: writer.appendVarint(try readUnsignedInteger(maximum: .max))
        }
    }

    /// Reads a string value and returns where its content lies.
    private mutating func readString() throws(OTLPDecodingError) -> JSONString {
        guard try scan({ (scanner) throws(FaroDecodingError) in try scanner.peek() }) == UInt8(ascii: "\"") else {
            throw try mismatch(.string)
        }
        return try scan { (scanner) throws(FaroDecodingError) in try scanner.scanString() }
    }

    /// Reads a string value and calls `body` with its content, unescaped.
    private mutating func withStringContent<T>(_ body: (UnsafeRawBufferPointer) -> T) throws(OTLPDecodingError) -> T {
        let key = try readString()
        return withContent(of: key, body)
    }

    /// Calls `body` with the content of a scanned string, unescaped: the input's own bytes when it
    /// has no escapes, else a copy in a buffer this reader reuses.
    @inline(__always)
    private mutating func withContent<T>(of key: JSONString, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        if !key.needsDecoding { return body(UnsafeRawBufferPointer(rebasing: scanner.input[key.start..<key.end])) }
        unescaped.removeAll(keepingCapacity: true)
        scanner.appendContent(of: key, to: &unescaped)
        return unescaped.withUnsafeBytes(body)
    }

    /// The error of an id of `length` hex digits that is not one of `size` bytes.
    private static func idError(length: Int, size: Int) -> OTLPDecodingError.Reason {
        length == 2 * size ? .invalidHexID : .invalidIDLength(expected: size, found: length / 2)
    }

    /// Reads a number, or a string holding a JSON number (or, when `words`, `NaN`, `Infinity` or
    /// `-Infinity`), and returns what `parse` makes of its text; a number out of `parse`'s range is an error.
    private mutating func readNumber<T>(words: Bool = false, _ parse: (UnsafeRawBufferPointer) -> T?) throws(OTLPDecodingError) -> T {
        let offset = scanner.offset
        let value: T??
        switch try scan({ (scanner) throws(FaroDecodingError) in try scanner.peekKind() }) {
        case .number:
            let bytes = try scan { (scanner) throws(FaroDecodingError) in try scanner.scanNumber() }
            value = parse(bytes)
        case .string:
            value = try withStringContent { text -> T?? in
                if words && (text.elementsEqual("NaN".utf8) || text.elementsEqual("Infinity".utf8) || text.elementsEqual("-Infinity".utf8)) {
                    return parse(text)
                }
                // The string must hold a JSON number, and nothing else.
                var inner = JSONScanner(text)
                guard !text.isEmpty, JSONScanner.kind(of: text[0]) == .number, (try? inner.scanNumber()) != nil, inner.offset == text.count
                else { return nil }
                return parse(text)
            }
        default:
            throw try mismatch(.number)
        }
        switch value {
        case nil: throw OTLPDecodingError(.invalidJSON(.typeMismatch(expected: .number, found: .string)), offset: offset)
        case .some(nil): throw OTLPDecodingError(.invalidJSON(.numberOutOfRange), offset: offset)
        case .some(.some(let number)): return number
        }
    }

    /// Reads a double: a number, or a string with a number, `NaN`, `Infinity` or `-Infinity`.
    private mutating func readDouble() throws(OTLPDecodingError) -> Double {
        try readNumber(words: true) { text -> Double? in
            if text.elementsEqual("NaN".utf8) { return .nan }
            if text.elementsEqual("Infinity".utf8) { return .infinity }
            if text.elementsEqual("-Infinity".utf8) { return -.infinity }
            return GoNumberFormat.parseDouble(text)
        }
    }

    /// Reads an integer within `range`: digits, or a number with a fraction or exponent whose value is whole.
    private mutating func readSignedInteger(in range: ClosedRange<Int64>) throws(OTLPDecodingError) -> Int64 {
        try readNumber { text -> Int64? in
            var value = GoNumberFormat.parseInt64(text)
            if value == nil, let double = GoNumberFormat.parseDouble(text),
                double >= -9_223_372_036_854_775_808.0, double < 9_223_372_036_854_775_808.0,
                Double(Int64(double)) == double
            {
                value = Int64(double)
            }
            guard let value, range.contains(value) else { return nil }
            return value
        }
    }

    /// Reads a non-negative integer up to `maximum`: digits, or a number with a fraction or exponent whose value is whole.
    private mutating func readUnsignedInteger(maximum: UInt64) throws(OTLPDecodingError) -> UInt64 {
        try readNumber { text -> UInt64? in
            var value = GoNumberFormat.parseUInt64(text)
            if value == nil, let double = GoNumberFormat.parseDouble(text), double >= 0, double < 18_446_744_073_709_551_616.0,
                Double(UInt64(double)) == double
            {
                value = UInt64(double)
            }
            guard let value, value <= maximum else { return nil }
            return value
        }
    }

    /// Reads an enum value: an `int32` number (or numeric string), or one of the enum's value names.
    private mutating func readEnum(_ enumeration: OTLPEnumeration) throws(OTLPDecodingError) -> Int32 {
        let offset = scanner.offset
        if try scan({ (scanner) throws(FaroDecodingError) in try scanner.peekKind() }) == .string {
            let name = try withStringContent { String(decoding: $0, as: UTF8.self) }
            if let index = enumeration.names.firstIndex(of: name) { return Int32(index) }
            guard let number = Int32(name) else { throw OTLPDecodingError(.unknownEnumName(name), offset: offset) }
            return number
        }
        return Int32(try readSignedInteger(in: Int64(Int32.min)...Int64(Int32.max)))
    }
}

extension OTLPField.Kind {
    /// Whether the kind is a 32-bit integer.
    var is32Bit: Bool {
        switch self {
        case .int32, .uint32, .sint32, .fixed32: return true
        default: return false
        }
    }
}
