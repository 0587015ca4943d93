/// Why a payload could not be decoded, where in the bytes, and at which JSON path.
public struct FaroDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        /// The input ended inside a value, or was empty.
        case unexpectedEndOfInput
        /// A byte that cannot stand here in JSON.
        case unexpectedCharacter(UInt8)
        /// Bytes that are not well-formed UTF-8 (overlong, surrogate, truncated or out of range).
        case invalidUTF8
        /// A backslash escape that JSON does not define, or a malformed `\u` escape.
        case invalidEscape
        /// A `\u` escape of a UTF-16 surrogate that is not part of a valid pair.
        case loneSurrogate
        /// An unescaped control character (below U+0020) inside a string.
        case controlCharacterInString
        /// A number outside the range of its field (a float beyond ±1.8e308, an integer beyond 64 bits
        /// or with a fraction or exponent).
        case numberOutOfRange
        /// A value of another JSON type than the field takes.
        case typeMismatch(expected: JSONValueKind, found: JSONValueKind)
        /// A timestamp that is not RFC 3339 as Go's `time.Time` reads it.
        case invalidTimestamp
        /// Non-whitespace after the top-level value.
        case trailingData
        /// Objects and arrays nested deeper than the limit.
        case nestingTooDeep(limit: Int)
        /// The input is longer than the limit.
        case payloadTooLarge(limit: Int)
        /// A string longer (in UTF-8 bytes, after unescaping) than the limit.
        case stringTooLong(limit: Int)
        /// More logs, exceptions, measurements and events together than the limit.
        case tooManyItems(limit: Int)
    }

    /// What was wrong.
    public var reason: Reason
    /// The offset in the input of the byte where decoding stopped.
    public var offset: Int
    /// The path components from the root, innermost last (stored innermost first).
    private var reversedPath: [JSONPathComponent]

    /// Creates an error at `offset` with an empty path.
    public init(_ reason: Reason, offset: Int) {
        self.reason = reason
        self.offset = offset
        self.reversedPath = []
    }

    /// The JSON path from the root to the value that failed, outermost first.
    public var path: [JSONPathComponent] { reversedPath.reversed() }

    /// The path as text: `$.exceptions[0].stacktrace.frames[3].lineno`.
    public var pathDescription: String {
        var text = "$"
        for component in reversedPath.reversed() {
            switch component {
            case .key(let key): text += "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// `offset 123 at $.logs[0].timestamp: invalid RFC 3339 timestamp`.
    public var description: String {
        "offset \(offset) at \(pathDescription): \(reason)"
    }

    /// This error, one level further out: `component` is the member or element it occurred in.
    func within(_ component: JSONPathComponent) -> FaroDecodingError {
        var error = self
        error.reversedPath.append(component)
        return error
    }
}

extension FaroDecodingError.Reason: CustomStringConvertible {
    /// A short reason, fit for an HTTP 400 body.
    public var description: String {
        switch self {
        case .unexpectedEndOfInput: return "unexpected end of input"
        case .unexpectedCharacter(let byte):
            if byte >= 0x20 && byte < 0x7F { return "unexpected character '\(Character(Unicode.Scalar(byte)))'" }
            return "unexpected byte 0x\(String(byte, radix: 16, uppercase: true))"
        case .invalidUTF8: return "invalid UTF-8"
        case .invalidEscape: return "invalid escape sequence"
        case .loneSurrogate: return "lone UTF-16 surrogate in \\u escape"
        case .controlCharacterInString: return "control character in string"
        case .numberOutOfRange: return "number out of range for its field"
        case .typeMismatch(let expected, let found): return "expected \(expected), found \(found)"
        case .invalidTimestamp: return "invalid RFC 3339 timestamp"
        case .trailingData: return "data after the top-level value"
        case .nestingTooDeep(let limit): return "nesting deeper than \(limit)"
        case .payloadTooLarge(let limit): return "payload larger than \(limit) bytes"
        case .stringTooLong(let limit): return "string longer than \(limit) bytes"
        case .tooManyItems(let limit): return "more than \(limit) items"
        }
    }
}

/// One step of a JSON path: an object member or an array element.
public enum JSONPathComponent: Sendable, Hashable {
    /// An object member, by key.
    case key(String)
    /// An array element, by index.
    case index(Int)
}

/// The kinds of JSON value, for type-mismatch errors.
public enum JSONValueKind: String, Sendable, Hashable, CustomStringConvertible {
    /// An object.
    case object
    /// An array.
    case array
    /// A string.
    case string
    /// A number.
    case number
    /// `true` or `false`.
    case bool
    /// `null`.
    case null

    /// The kind's name.
    public var description: String { rawValue }
}
