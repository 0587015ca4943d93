/// One log record (`LogRecord`).
public struct OTLPLogRecord: Sendable, Hashable {
    /// A severity (`SeverityNumber`): 1 to 24 in six ranges of four; values outside the known ones are kept.
    public struct Severity: RawRepresentable, Sendable, Hashable {
        /// The wire value.
        public var rawValue: Int32
        /// Creates a severity from its wire value.
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// `SEVERITY_NUMBER_UNSPECIFIED`.
        public static let unspecified = Severity(rawValue: 0)
        /// `SEVERITY_NUMBER_TRACE` (1; `TRACE2` to `TRACE4` are 2 to 4).
        public static let trace = Severity(rawValue: 1)
        /// `SEVERITY_NUMBER_DEBUG` (5 to 8).
        public static let debug = Severity(rawValue: 5)
        /// `SEVERITY_NUMBER_INFO` (9 to 12).
        public static let info = Severity(rawValue: 9)
        /// `SEVERITY_NUMBER_WARN` (13 to 16).
        public static let warn = Severity(rawValue: 13)
        /// `SEVERITY_NUMBER_ERROR` (17 to 20).
        public static let error = Severity(rawValue: 17)
        /// `SEVERITY_NUMBER_FATAL` (21 to 24).
        public static let fatal = Severity(rawValue: 21)
    }

    /// When the event happened, in nanoseconds since the Unix epoch; 0 if unknown.
    public var timeUnixNano: UInt64
    /// When the record was observed by the collection system, in nanoseconds since the Unix epoch.
    public var observedTimeUnixNano: UInt64
    /// The severity number.
    public var severityNumber: Severity
    /// The severity as the source wrote it (`INFO`, `warn`).
    public var severityText: String
    /// The body; `nil` when the field is absent.
    public var body: OTLPAnyValue?
    /// The record's attributes.
    public var attributes: [OTLPKeyValue]
    /// How many attributes were dropped.
    public var droppedAttributesCount: UInt32
    /// W3C trace flags in the low 8 bits.
    public var flags: UInt32
    /// The trace the record belongs to, if any.
    public var traceID: OTLPTraceID?
    /// The span the record belongs to, if any.
    public var spanID: OTLPSpanID?
    /// The name of the event the record describes, if it is one.
    public var eventName: String

    /// Creates a log record.
    public init(
        timeUnixNano: UInt64 = 0, observedTimeUnixNano: UInt64 = 0, severityNumber: Severity = .unspecified,
        severityText: String = "", body: OTLPAnyValue? = nil, attributes: [OTLPKeyValue] = [],
        droppedAttributesCount: UInt32 = 0, flags: UInt32 = 0, traceID: OTLPTraceID? = nil, spanID: OTLPSpanID? = nil,
        eventName: String = ""
    ) {
        self.timeUnixNano = timeUnixNano
        self.observedTimeUnixNano = observedTimeUnixNano
        self.severityNumber = severityNumber
        self.severityText = severityText
        self.body = body
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.flags = flags
        self.traceID = traceID
        self.spanID = spanID
        self.eventName = eventName
    }
}
