import OTLPCodec
import Tracing

extension OTLPAttributeWriting {
    /// Appends each of swift-distributed-tracing's `attributes` as an OTLP `KeyValue`: integers
    /// as `int_value`, doubles, booleans and strings as themselves, arrays as `array_value`, and
    /// `stringConvertible` values as their description.
    mutating func attributes(_ attributes: SpanAttributes) {
        attributes.forEach { key, value in attribute(key, value) }
    }

    /// Appends one attribute.
    mutating func attribute(_ key: String, _ value: SpanAttribute) {
        switch value {
        case .string(let string): attribute(key, string)
        case .int64(let integer): attribute(key, integer)
        case .int32(let integer): attribute(key, Int64(integer))
        case .double(let double): attribute(key, double)
        case .bool(let bool): attribute(key, bool)
        case .stringConvertible(let convertible): attribute(key, convertible.description)
        case .stringArray(let strings): attribute(key, OTLPAnyValue.array(strings.map { .string($0) }))
        case .int64Array(let integers): attribute(key, OTLPAnyValue.array(integers.map { .int($0) }))
        case .int32Array(let integers): attribute(key, OTLPAnyValue.array(integers.map { .int(Int64($0)) }))
        case .doubleArray(let doubles): attribute(key, OTLPAnyValue.array(doubles.map { .double($0) }))
        case .boolArray(let bools): attribute(key, OTLPAnyValue.array(bools.map { .bool($0) }))
        case .stringConvertibleArray(let convertibles): attribute(key, OTLPAnyValue.array(convertibles.map { .string($0.description) }))
        default: attribute(key, "\(value)")
        }
    }
}
