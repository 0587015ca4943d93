/// Why a balancer cannot be built or a call about an upstream cannot be taken.
public enum BalancerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The list of upstreams is empty: a balancer always has an upstream to pick.
    case noUpstreams
    /// The same upstream is listed twice.
    case duplicateUpstream(String)
    /// The name is not one of the balancer's upstreams.
    case unknownUpstream(String)
    /// A configuration value out of range: the field's name and the rule it breaks.
    case invalidConfiguration(String)

    /// A one-line reason.
    public var description: String {
        switch self {
        case .noUpstreams: "no upstreams to balance over"
        case .duplicateUpstream(let name): "upstream \"\(name)\" is listed twice"
        case .unknownUpstream(let name): "\"\(name)\" is not an upstream of this balancer"
        case .invalidConfiguration(let reason): "invalid balancer configuration: \(reason)"
        }
    }
}
