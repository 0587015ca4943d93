/// What `OTLPSchemaWalk` reports of an OTLP message, in the order of its OTLP/JSON: the walk reads
/// and checks, the visitor keeps what it wants. `OTLPJSONWriter` writes JSON; `OTLPValidationVisitor`
/// keeps nothing, so that its walk only checks.
protocol OTLPSchemaVisitor {
    /// A message starts: the top-level one, or a field's value.
    mutating func beginMessage()
    /// The message last begun ends.
    mutating func endMessage()
    /// A field with a value starts, before its value or its first element; `isFirst` when no field
    /// of the message came before it.
    mutating func beginField(_ field: OTLPField, isFirst: Bool)
    /// The elements of a repeated field start (right after `beginField`).
    mutating func beginElements()
    /// Another element of a repeated field follows.
    mutating func nextElement()
    /// The elements of a repeated field end.
    mutating func endElements()
    /// A scalar of a 64-bit integer or `double` field, or an element of a packed one, by its bits.
    mutating func scalarBits(_ bits: UInt64, kind: OTLPField.Kind)
    /// A `double` value.
    mutating func double(_ value: Double)
    /// A `bool` value.
    mutating func bool(_ value: Bool)
    /// A signed 32-bit value: `int32`, `sint32` or an enum.
    mutating func signed(_ value: Int)
    /// An unsigned 32-bit value: `uint32` or `fixed32`.
    mutating func unsigned(_ value: UInt64)
    /// A `string` value, checked as UTF-8.
    mutating func string(_ utf8: UnsafeRawBufferPointer)
    /// A `bytes` value.
    mutating func bytes(_ bytes: UnsafeRawBufferPointer)
    /// A trace id, `nil` when the field is empty.
    mutating func traceID(_ id: OTLPTraceID?)
    /// A span id, `nil` when the field is empty.
    mutating func spanID(_ id: OTLPSpanID?)
}
