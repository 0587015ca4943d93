/// A response header: a name and a value.
public struct HTTPField: Sendable, Hashable {
    /// The header's name, as it is sent.
    public var name: String
    /// The header's value.
    public var value: String

    /// A header.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
