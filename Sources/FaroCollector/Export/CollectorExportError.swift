/// Why a sink did not take what the collector gave it.
public enum CollectorExportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The sink holds as much as it may; try again later (the request is answered 503).
    case full
    /// The sink is shut down.
    case closed
    /// The data could not be converted for the sink, with the reason.
    case invalid(String)

    /// A short reason.
    public var description: String {
        switch self {
        case .full: "exporter queue full"
        case .closed: "exporter shut down"
        case .invalid(let reason): reason
        }
    }
}
