public import IntakePolicy

/// A request the gateway lets through, as it goes upstream.
public struct ForwardedRequest: Sendable {
    /// The tenant's index in the directory of the policy that admitted it.
    public var tenant: Int
    /// The tenant's usage, to count the request's outcome and charge its body bytes.
    public var usage: TenantUsage
    /// The request target to send upstream: the client's, without the tenant's path prefix.
    public var target: String
    /// The header fields to send upstream, in order: the client's without hop-by-hop fields (and
    /// without `Forwarded`, `X-Forwarded-Proto`, `X-Forwarded-Host`, `X-Real-IP` and the other
    /// client-address fields unless the peer is a trusted proxy), with the trace headers as the tenant's policy leaves them and
    /// `X-Forwarded-For` last.
    public var headerFields: [(name: String, value: String)]
    /// The CORS fields to add to the upstream's answer.
    public var corsHeaders: [HTTPField]
    /// The declared `Content-Length`, if any.
    public var contentLength: Int?
    /// The most body bytes the request may send; more ends it with 413.
    public var maxBodyBytes: Int
    /// The body bytes still to charge to the tenant's byte limit as they arrive: false when the
    /// `Content-Length` was charged already (or there is no byte limit).
    public var chargesBodyBytes: Bool
    /// Whether the client waits for `100 Continue` before it sends the body (`Expect:
    /// 100-continue`, which is not forwarded).
    public var expectsContinue: Bool
    /// The client's address, after `X-Forwarded-For` from trusted proxies.
    public var clientAddress: IPAddress
}
