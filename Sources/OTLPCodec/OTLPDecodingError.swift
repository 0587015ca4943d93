public import FaroModel
public import ProtobufWire

/// Why OTLP bytes could not be decoded, where in them, and in which field.
public struct OTLPDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        /// The protobuf structure is broken: truncated, a malformed varint or tag, a length past the end,
        /// a wire type that does not fit the field, or messages nested too deep.
        case wire(ProtobufWireError.Reason)
        /// A trace or span id of another length than 16 or 8 bytes (or 32 or 16 hex digits in JSON).
        case invalidIDLength(expected: Int, found: Int)
        /// OTLP/JSON that is not well-formed JSON, or a value of another JSON type or range than its field takes.
        case invalidJSON(FaroDecodingError.Reason)
        /// An id in OTLP/JSON with a character that is not a hex digit.
        case invalidHexID
        /// A `bytes` value in OTLP/JSON that is not base64.
        case invalidBase64
        /// An enum value in OTLP/JSON given by a name the enum does not have.
        case unknownEnumName(String)
    }

    /// What was wrong.
    public var reason: Reason
    /// The offset in the input of the field or value that was wrong.
    public var offset: Int
    /// The fields from the top-level message down, innermost first.
    private var reversedPath: [OTLPPathComponent] = []

    /// Creates an error at `offset` with an empty path.
    public init(_ reason: Reason, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// The error of a protobuf wire error.
    init(_ error: ProtobufWireError) {
        self.init(.wire(error.reason), offset: error.offset)
    }

    /// The error of a JSON scanner error.
    init(_ error: FaroDecodingError) {
        self.init(.invalidJSON(error.reason), offset: error.offset)
    }

    /// The path from the top-level message to the field that failed, outermost first.
    public var path: [OTLPPathComponent] { reversedPath.reversed() }

    /// The path as text, with the OTLP/JSON field names: `resourceSpans[0].scopeSpans[0].spans[3].traceId`.
    public var pathDescription: String {
        var text = ""
        for component in reversedPath.reversed() {
            switch component {
            case .field(let name): text += text.isEmpty ? name : "." + name
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// `offset 123 at resourceSpans[0].scopeSpans[0].spans[3].traceId: trace id of 15 bytes, expected 16`.
    public var description: String {
        "offset \(offset) at \(pathDescription.isEmpty ? "top level" : pathDescription): \(reason)"
    }

    /// This error, one level further out.
    func within(_ component: OTLPPathComponent) -> OTLPDecodingError {
        var error = self
        error.reversedPath.append(component)
        return error
    }
}

extension OTLPDecodingError.Reason: CustomStringConvertible {
    /// A short reason, fit for an HTTP 400 body.
    public var description: String {
        switch self {
        case .wire(let reason): return reason.description
        case .invalidIDLength(let expected, let found): return "id of \(found) bytes, expected \(expected)"
        case .invalidJSON(let reason): return reason.description
        case .invalidHexID: return "id is not hex"
        case .invalidBase64: return "bytes value is not base64"
        case .unknownEnumName(let name): return "unknown enum value name \"\(name)\""
        }
    }
}

/// One step of a path into an OTLP message.
public enum OTLPPathComponent: Sendable, Hashable {
    /// A field, by its OTLP/JSON name.
    case field(String)
    /// An element of a repeated field.
    case index(Int)
}
