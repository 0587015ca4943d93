/// One label: a stream label, or one pair of an entry's structured metadata.
public struct LokiLabelPair: Sendable, Hashable {
    /// The label name, `[a-zA-Z_][a-zA-Z0-9_]*`.
    public var name: String
    /// The label value, any UTF-8 text.
    public var value: String

    /// A label pair.
    @inlinable
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
