/// A set of named numeric values measured in the browser, such as web-vitals.
public struct FaroMeasurement: Sendable, Hashable {
    /// The kind of measurement, such as `web-vitals`.
    public var type: String
    /// The values by name, such as `lcp` and `ttfb`.
    public var values: FaroMap<Double>
    /// When the values were measured.
    public var timestamp: FaroTimestamp
    /// The trace the measurement belongs to, if any.
    public var trace: FaroTraceContext
    /// Key-value context attached by the SDK or the application.
    public var context: FaroAttributes

    /// Creates a measurement item.
    public init(
        type: String = "",
        values: FaroMap<Double> = [:],
        timestamp: FaroTimestamp = .zero,
        trace: FaroTraceContext = FaroTraceContext(),
        context: FaroAttributes = [:]
    ) {
        self.type = type
        self.values = values
        self.timestamp = timestamp
        self.trace = trace
        self.context = context
    }
}
