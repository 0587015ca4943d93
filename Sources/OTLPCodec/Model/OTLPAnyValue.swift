/// An attribute value or log body (`AnyValue`): one of a string, a boolean, a 64-bit integer, a
/// double, bytes, an array of values or a list of key-value pairs.
public enum OTLPAnyValue: Sendable, Hashable {
    /// No value (an `AnyValue` with nothing set).
    case empty
    /// `string_value`.
    case string(String)
    /// `bool_value`.
    case bool(Bool)
    /// `int_value`.
    case int(Int64)
    /// `double_value`.
    case double(Double)
    /// `bytes_value`.
    case bytes([UInt8])
    /// `array_value`.
    case array([OTLPAnyValue])
    /// `kvlist_value`.
    case keyValueList([OTLPKeyValue])
    /// `string_value_strindex`: an index into a dictionary of strings (profiles); other signals do not set it.
    case stringIndex(Int32)
}

/// A key and its value (`KeyValue`): one attribute.
public struct OTLPKeyValue: Sendable, Hashable {
    /// The attribute name.
    public var key: String
    /// The attribute value. `.empty` is written as an absent `value` field.
    public var value: OTLPAnyValue
    /// `key_strindex`: an index into a dictionary of strings (profiles); 0 elsewhere.
    public var keyStringIndex: Int32

    /// Creates an attribute.
    public init(key: String, value: OTLPAnyValue, keyStringIndex: Int32 = 0) {
        self.key = key
        self.value = value
        self.keyStringIndex = keyStringIndex
    }

    /// Creates an attribute with a string value.
    public init(_ key: String, _ value: String) {
        self.init(key: key, value: .string(value))
    }

    /// Creates an attribute with an integer value.
    public init(_ key: String, _ value: Int64) {
        self.init(key: key, value: .int(value))
    }

    /// Creates an attribute with a double value.
    public init(_ key: String, _ value: Double) {
        self.init(key: key, value: .double(value))
    }

    /// Creates an attribute with a boolean value.
    public init(_ key: String, _ value: Bool) {
        self.init(key: key, value: .bool(value))
    }
}

extension Array where Element == OTLPKeyValue {
    /// The value of the first attribute named `key`, or `nil` (keys are unique in a valid list):
    /// `span.attributes[key: "http.route"]`.
    public subscript(key key: String) -> OTLPAnyValue? {
        first { $0.key == key }?.value
    }
}
