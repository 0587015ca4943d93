/// What the collector reads of a request before its body: the request line and the few headers
/// its checks use, copied out by the HTTP server that embeds it.
public struct IntakeRequestHead: Sendable, Hashable {
    /// The method, upper case as sent (`POST`).
    public var method: String
    /// The request target: path and optional query (`/collect/abc?x=1`).
    public var uri: String
    /// `Origin`.
    public var origin: String?
    /// `x-api-key`.
    public var apiKey: String?
    /// `Content-Type`.
    public var contentType: String?
    /// `Content-Encoding`.
    public var contentEncoding: String?
    /// `Content-Length`, when sent and a valid number; the server refuses a request with an
    /// invalid or repeated one before asking the collector.
    public var contentLength: Int?
    /// `Access-Control-Request-Method`, for a preflight.
    public var accessControlRequestMethod: String?
    /// `Access-Control-Request-Headers`, for a preflight.
    public var accessControlRequestHeaders: String?

    /// A request head.
    public init(
        method: String, uri: String, origin: String? = nil, apiKey: String? = nil, contentType: String? = nil,
        contentEncoding: String? = nil, contentLength: Int? = nil, accessControlRequestMethod: String? = nil,
        accessControlRequestHeaders: String? = nil
    ) {
        self.method = method
        self.uri = uri
        self.origin = origin
        self.apiKey = apiKey
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.contentLength = contentLength
        self.accessControlRequestMethod = accessControlRequestMethod
        self.accessControlRequestHeaders = accessControlRequestHeaders
    }
}
