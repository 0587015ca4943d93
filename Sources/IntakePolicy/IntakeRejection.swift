/// A request that faro-collector or rum-gateway refuses: the status, a one-line reason for the
/// body, and headers to send with it (`Retry-After`, `Allow`).
public struct IntakeRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code.
    public var status: Int
    /// The reason, one line, sent as the body (`text/plain`).
    public var reason: String
    /// Headers sent with the answer.
    public var headers: [HTTPField]

    /// A rejection.
    public init(status: Int, reason: String, headers: [HTTPField] = []) {
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    /// `"status reason"`.
    public var description: String { "\(status) \(reason)" }

    /// 400: the body is not a payload the collector can read.
    public static func badRequest(_ reason: String) -> IntakeRejection { IntakeRejection(status: 400, reason: reason) }
    /// 401: no API key, or one that no tenant has (Alloy's reason).
    public static let unauthorized = IntakeRejection(status: 401, reason: "API key not provided or incorrect")
    /// 403: the request's `Origin` may not post as its tenant.
    public static let originNotAllowed = IntakeRejection(status: 403, reason: "origin not allowed")
    /// 417: an `Expect` other than `100-continue`, the only expectation HTTP/1.1 defines.
    public static let expectationFailed = IntakeRejection(status: 417, reason: "only Expect: 100-continue is supported")
    /// 404: no such endpoint.
    public static let notFound = IntakeRejection(status: 404, reason: "not found")
    /// 405: the endpoint exists but not for this method; `allow` lists those it takes.
    public static func methodNotAllowed(allow: String) -> IntakeRejection {
        IntakeRejection(status: 405, reason: "method not allowed", headers: [HTTPField(name: "Allow", value: allow)])
    }
    /// 413: the body is over `limit` bytes, as sent or inflated.
    public static func payloadTooLarge(limit: Int) -> IntakeRejection {
        IntakeRejection(status: 413, reason: "payload too large: the limit is \(limit) bytes")
    }
    /// 415: a content type or content coding the endpoint does not take.
    public static func unsupportedMediaType(_ reason: String) -> IntakeRejection {
        IntakeRejection(status: 415, reason: reason)
    }
    /// 429: over a rate limit; `retryAfter` whole seconds until a request may pass.
    public static func tooManyRequests(_ limit: String, retryAfter: Int) -> IntakeRejection {
        IntakeRejection(
            status: 429, reason: "too many requests: \(limit) rate limit exceeded",
            headers: [HTTPField(name: "Retry-After", value: String(retryAfter))])
    }
    /// Whole seconds until a limit of `rate` a second has a token again (at least 1; an hour
    /// for a rate of 0), for `Retry-After`.
    public static func retryAfter(rate: Double) -> Int {
        guard rate > 0, rate.isFinite else { return rate == 0 ? 3600 : 1 }
        return max(1, Int((1 / rate).rounded(.up)))
    }
    /// 503: the exporters cannot take more now; `retryAfter` whole seconds.
    public static func unavailable(_ reason: String, retryAfter: Int = 1) -> IntakeRejection {
        IntakeRejection(status: 503, reason: reason, headers: [HTTPField(name: "Retry-After", value: String(retryAfter))])
    }
}
