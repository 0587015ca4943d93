/// The visitor of `OTLPProtobuf.validate`: it keeps nothing, so that its `OTLPSchemaWalk` only reads
/// and checks (its calls compile to nothing).
struct OTLPValidationVisitor: OTLPSchemaVisitor {
    /// Does nothing.
    func beginMessage() {}
    /// Does nothing.
    func endMessage() {}
    /// Does nothing.
    func beginField(_ field: OTLPField, isFirst: Bool) {}
    /// Does nothing.
    func beginElements() {}
    /// Does nothing.
    func nextElement() {}
    /// Does nothing.
    func endElements() {}
    /// Does nothing.
    func scalarBits(_ bits: UInt64, kind: OTLPField.Kind) {}
    /// Does nothing.
    func double(_ value: Double) {}
    /// Does nothing.
    func bool(_ value: Bool) {}
    /// Does nothing.
    func signed(_ value: Int) {}
    /// Does nothing.
    func unsigned(_ value: UInt64) {}
    /// Does nothing.
    func string(_ utf8: UnsafeRawBufferPointer) {}
    /// Does nothing.
    func bytes(_ bytes: UnsafeRawBufferPointer) {}
    /// Does nothing.
    func traceID(_ id: OTLPTraceID?) {}
    /// Does nothing.
    func spanID(_ id: OTLPSpanID?) {}
}
