public import OTLPCodec

/// A span as a browser's tracing SDK (Faro Web Tracing over OpenTelemetry JS) hands it to an
/// exporter: a page load, a fetch or a user interaction, with the eight attributes, the event
/// and the link that the benchmarks encode.
public struct BrowserSpan: Sendable {
    /// The span's trace.
    public var traceID: OTLPTraceID
    /// The span's id.
    public var spanID: OTLPSpanID
    /// The parent span, `nil` for the root of a page load.
    public var parentSpanID: OTLPSpanID?
    /// W3C trace flags (sampled) and the bit that says whether the parent is remote is known.
    public var flags: UInt32
    /// The operation, such as `HTTP GET` or `documentLoad`.
    public var name: String
    /// Client for requests, internal for page work.
    public var kind: OTLPSpan.Kind
    /// The start, in nanoseconds since the Unix epoch.
    public var startTimeUnixNano: UInt64
    /// The end, in nanoseconds since the Unix epoch.
    public var endTimeUnixNano: UInt64
    /// `http.url`: the requested URL.
    public var url: String
    /// `http.method`.
    public var method: String
    /// `session.id`: Faro's session id.
    public var sessionID: String
    /// `page.url`: the page that made the request.
    public var pageURL: String
    /// `http.status_code`.
    public var statusCode: Int64
    /// `http.response_content_length`, in bytes.
    public var responseContentLength: Int64
    /// `http.time_to_first_byte_ms`, from the resource timing.
    public var timeToFirstByteMilliseconds: Double
    /// `http.response.from_cache`: whether the browser cache answered.
    public var fromCache: Bool
    /// The one event: a resource-timing mark, such as `responseStart`.
    public var event: Event
    /// The one link: the span that led to this one, such as the click before a fetch.
    public var link: Link
    /// The outcome: an error for 5xx answers, else ok.
    public var status: OTLPStatus

    /// A resource-timing mark of a span.
    public struct Event: Sendable {
        /// When the mark was reached, in nanoseconds since the Unix epoch.
        public var timeUnixNano: UInt64
        /// The mark, such as `responseStart`.
        public var name: String
        /// `event.offset_ms`: milliseconds since the span started.
        public var offsetMilliseconds: Int64
    }

    /// A link to the span that led to a span.
    public struct Link: Sendable {
        /// The linked span's trace.
        public var traceID: OTLPTraceID
        /// The linked span's id.
        public var spanID: OTLPSpanID
        /// `link.type`, such as `follows_from`.
        public var type: String
    }
}

/// The attribute keys of ``BrowserSpan``, its event and its link, as OpenTelemetry JS and Faro
/// name them.
public enum BrowserAttributeKey {
    /// `http.url`.
    public static let url = "http.url"
    /// `http.method`.
    public static let method = "http.method"
    /// `session.id`.
    public static let sessionID = "session.id"
    /// `page.url`.
    public static let pageURL = "page.url"
    /// `http.status_code`.
    public static let statusCode = "http.status_code"
    /// `http.response_content_length`.
    public static let responseContentLength = "http.response_content_length"
    /// `http.time_to_first_byte_ms`.
    public static let timeToFirstByte = "http.time_to_first_byte_ms"
    /// `http.response.from_cache`.
    public static let fromCache = "http.response.from_cache"
    /// `event.offset_ms`, the event's attribute.
    public static let eventOffset = "event.offset_ms"
    /// `link.type`, the link's attribute.
    public static let linkType = "link.type"
}
