/// Why an input could not be prepared, or a measurement not made.
public struct InputError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
