/// An error thrown in the browser, with its stack trace.
public struct FaroException: Sendable, Hashable {
    /// The error's type, such as `TypeError`.
    public var type: String
    /// The error's message.
    public var value: String
    /// The stack trace, when the SDK sent one.
    public var stacktrace: FaroStacktrace?
    /// When the error happened.
    public var timestamp: FaroTimestamp
    /// The trace the error belongs to, if any.
    public var trace: FaroTraceContext
    /// Key-value context attached by the application.
    public var context: FaroAttributes

    /// Creates an exception item.
    public init(
        type: String = "",
        value: String = "",
        stacktrace: FaroStacktrace? = nil,
        timestamp: FaroTimestamp = .zero,
        trace: FaroTraceContext = FaroTraceContext(),
        context: FaroAttributes = [:]
    ) {
        self.type = type
        self.value = value
        self.stacktrace = stacktrace
        self.timestamp = timestamp
        self.trace = trace
        self.context = context
    }
}

/// The frames of an exception's stack trace, innermost first as the SDK sends them.
public struct FaroStacktrace: Sendable, Hashable {
    /// The frames.
    public var frames: [FaroStackFrame]

    /// Creates a stack trace.
    public init(frames: [FaroStackFrame] = []) { self.frames = frames }
}

/// One frame of a stack trace.
public struct FaroStackFrame: Sendable, Hashable {
    /// The function name, `?` when the browser did not know it.
    public var function: String
    /// The module, for bundlers that report one.
    public var module: String
    /// The script's URL.
    public var filename: String
    /// The line, 1-based.
    public var lineno: Int
    /// The column, as the browser reports it.
    public var colno: Int

    /// Creates a frame.
    public init(function: String = "", module: String = "", filename: String = "", lineno: Int = 0, colno: Int = 0) {
        self.function = function
        self.module = module
        self.filename = filename
        self.lineno = lineno
        self.colno = colno
    }
}
