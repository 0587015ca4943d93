/// An operation within a trace (`Span`).
public struct OTLPSpan: Sendable, Hashable {
    /// The kind of a span (`SpanKind`); values outside the known ones are kept as they came.
    public struct Kind: RawRepresentable, Sendable, Hashable {
        /// The wire value.
        public var rawValue: Int32
        /// Creates a kind from its wire value.
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// `SPAN_KIND_UNSPECIFIED`.
        public static let unspecified = Kind(rawValue: 0)
        /// `SPAN_KIND_INTERNAL`.
        public static let `internal` = Kind(rawValue: 1)
        /// `SPAN_KIND_SERVER`.
        public static let server = Kind(rawValue: 2)
        /// `SPAN_KIND_CLIENT`.
        public static let client = Kind(rawValue: 3)
        /// `SPAN_KIND_PRODUCER`.
        public static let producer = Kind(rawValue: 4)
        /// `SPAN_KIND_CONSUMER`.
        public static let consumer = Kind(rawValue: 5)
    }

    /// A time-stamped annotation of a span (`Span.Event`).
    public struct Event: Sendable, Hashable {
        /// When the event happened, in nanoseconds since the Unix epoch.
        public var timeUnixNano: UInt64
        /// The event name.
        public var name: String
        /// The event attributes.
        public var attributes: [OTLPKeyValue]
        /// How many attributes were dropped.
        public var droppedAttributesCount: UInt32

        /// Creates an event.
        public init(timeUnixNano: UInt64, name: String, attributes: [OTLPKeyValue] = [], droppedAttributesCount: UInt32 = 0) {
            self.timeUnixNano = timeUnixNano
            self.name = name
            self.attributes = attributes
            self.droppedAttributesCount = droppedAttributesCount
        }
    }

    /// A pointer from a span to another span (`Span.Link`).
    public struct Link: Sendable, Hashable {
        /// The linked span's trace id.
        public var traceID: OTLPTraceID?
        /// The linked span's id.
        public var spanID: OTLPSpanID?
        /// The linked span's W3C `tracestate`.
        public var traceState: String
        /// The link attributes.
        public var attributes: [OTLPKeyValue]
        /// How many attributes were dropped.
        public var droppedAttributesCount: UInt32
        /// W3C trace flags in the low 8 bits, and the remote-parent bits 8 and 9.
        public var flags: UInt32

        /// Creates a link.
        public init(
            traceID: OTLPTraceID?, spanID: OTLPSpanID?, traceState: String = "", attributes: [OTLPKeyValue] = [],
            droppedAttributesCount: UInt32 = 0, flags: UInt32 = 0
        ) {
            self.traceID = traceID
            self.spanID = spanID
            self.traceState = traceState
            self.attributes = attributes
            self.droppedAttributesCount = droppedAttributesCount
            self.flags = flags
        }
    }

    /// The id of the span's trace; `nil` when the field is absent (an invalid span, but one that decodes).
    public var traceID: OTLPTraceID?
    /// The span's id; `nil` when absent.
    public var spanID: OTLPSpanID?
    /// The W3C `tracestate` of the span context.
    public var traceState: String
    /// The parent span's id; `nil` for a root span.
    public var parentSpanID: OTLPSpanID?
    /// W3C trace flags in the low 8 bits, and the remote-parent bits 8 and 9.
    public var flags: UInt32
    /// The operation name.
    public var name: String
    /// The span kind.
    public var kind: Kind
    /// The start, in nanoseconds since the Unix epoch.
    public var startTimeUnixNano: UInt64
    /// The end, in nanoseconds since the Unix epoch.
    public var endTimeUnixNano: UInt64
    /// The span attributes.
    public var attributes: [OTLPKeyValue]
    /// How many attributes were dropped.
    public var droppedAttributesCount: UInt32
    /// The span events.
    public var events: [Event]
    /// How many events were dropped.
    public var droppedEventsCount: UInt32
    /// The span links.
    public var links: [Link]
    /// How many links were dropped.
    public var droppedLinksCount: UInt32
    /// The span status; `nil` when the field is absent.
    public var status: OTLPStatus?

    /// Creates a span.
    public init(
        traceID: OTLPTraceID?, spanID: OTLPSpanID?, traceState: String = "", parentSpanID: OTLPSpanID? = nil,
        flags: UInt32 = 0, name: String, kind: Kind = .unspecified, startTimeUnixNano: UInt64, endTimeUnixNano: UInt64,
        attributes: [OTLPKeyValue] = [], droppedAttributesCount: UInt32 = 0, events: [Event] = [],
        droppedEventsCount: UInt32 = 0, links: [Link] = [], droppedLinksCount: UInt32 = 0, status: OTLPStatus? = nil
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceState = traceState
        self.parentSpanID = parentSpanID
        self.flags = flags
        self.name = name
        self.kind = kind
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.events = events
        self.droppedEventsCount = droppedEventsCount
        self.links = links
        self.droppedLinksCount = droppedLinksCount
        self.status = status
    }
}

/// The outcome of a span (`Status`).
public struct OTLPStatus: Sendable, Hashable {
    /// A status code (`Status.StatusCode`); values outside the known ones are kept as they came.
    public struct Code: RawRepresentable, Sendable, Hashable {
        /// The wire value.
        public var rawValue: Int32
        /// Creates a code from its wire value.
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// `STATUS_CODE_UNSET`.
        public static let unset = Code(rawValue: 0)
        /// `STATUS_CODE_OK`.
        public static let ok = Code(rawValue: 1)
        /// `STATUS_CODE_ERROR`.
        public static let error = Code(rawValue: 2)
    }

    /// A developer-facing message, for errors.
    public var message: String
    /// The status code.
    public var code: Code

    /// Creates a status.
    public init(message: String = "", code: Code = .unset) {
        self.message = message
        self.code = code
    }
}
