/// A named event, such as a click or a `faro.tracing.fetch` record.
public struct FaroEvent: Sendable, Hashable {
    /// The event's name.
    public var name: String
    /// The domain that defines the name, such as `browser`.
    public var domain: String
    /// The event's attributes.
    public var attributes: FaroAttributes
    /// When the event happened.
    public var timestamp: FaroTimestamp
    /// The trace the event belongs to, if any.
    public var trace: FaroTraceContext

    /// Creates an event item.
    public init(
        name: String = "",
        domain: String = "",
        attributes: FaroAttributes = [:],
        timestamp: FaroTimestamp = .zero,
        trace: FaroTraceContext = FaroTraceContext()
    ) {
        self.name = name
        self.domain = domain
        self.attributes = attributes
        self.timestamp = timestamp
        self.trace = trace
    }
}
