/// A collector configuration that cannot work, with the reason.
public enum CollectorConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A value out of range or inconsistent with another.
    case invalid(String)

    /// The reason.
    public var description: String {
        switch self {
        case .invalid(let reason): reason
        }
    }
}
