/// A log message captured in the browser.
public struct FaroLog: Sendable, Hashable {
    /// The message text.
    public var message: String
    /// The level, as the SDK sends it.
    public var level: FaroLogLevel
    /// Key-value context attached by the application.
    public var context: FaroAttributes
    /// When the message was logged.
    public var timestamp: FaroTimestamp
    /// The trace the message belongs to, if any.
    public var trace: FaroTraceContext

    /// Creates a log item.
    public init(
        message: String = "",
        level: FaroLogLevel = FaroLogLevel(rawValue: ""),
        context: FaroAttributes = [:],
        timestamp: FaroTimestamp = .zero,
        trace: FaroTraceContext = FaroTraceContext()
    ) {
        self.message = message
        self.level = level
        self.context = context
        self.timestamp = timestamp
        self.trace = trace
    }
}

/// The level of a Faro log message.
///
/// Any string is accepted, as Alloy accepts any; the constants are the levels the
/// Faro Web SDK sends.
public struct FaroLogLevel: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral {
    /// The level as sent.
    public var rawValue: String

    /// Creates a level from its text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates a level from a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// `trace`
    public static let trace: FaroLogLevel = "trace"
    /// `debug`
    public static let debug: FaroLogLevel = "debug"
    /// `info`
    public static let info: FaroLogLevel = "info"
    /// `log`
    public static let log: FaroLogLevel = "log"
    /// `warn`
    public static let warn: FaroLogLevel = "warn"
    /// `error`
    public static let error: FaroLogLevel = "error"
}
