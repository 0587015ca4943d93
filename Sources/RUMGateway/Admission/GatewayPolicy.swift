import IntakePolicy
public import TokenBucket
import W3CTraceContext

/// The gateway's decisions on request heads, for one version of the tenants file: whose a request
/// is, whether its origin, size and rates pass, and which header fields go upstream. Immutable;
/// a reload makes a new policy that takes over the tenants' usage by name.
///
/// The order of the checks, cheapest and least revealing first: the API key, which must be one
/// (400 for several `x-api-key` fields, or one that differs from the key in the path), the tenant
/// (401, 403), the origin (403), the declared size (400, 413), the client's rate (429), the
/// tenant's request and byte rates (429, or 413 for a body over the byte burst); then the header
/// fields are rewritten. Refusals are counted in the tenant's
/// usage; a request let through is counted by the caller when it goes upstream.
public final class GatewayPolicy: Sendable {
    /// The tenants.
    public let directory: TenantDirectory
    /// Each tenant's usage, in the order of the directory.
    public let usages: [TenantUsage]
    /// The proxies whose `X-Forwarded-For` is believed, and whose other proxy fields (`Forwarded`,
    /// `X-Forwarded-Proto`, `X-Forwarded-Host`, `X-Real-IP` and the other client-address fields of
    /// `RequestHeadFields.isProxyClaim`) go upstream.
    public let trustedProxies: TrustedProxies
    /// The largest body of a tenant without `maxPayloadSize` of its own.
    public let maxPayloadSize: Int
    /// Whether the tenants' request and byte limits are decided elsewhere (the fleet's Redis), so
    /// that `admit` applies only the per-client and connection limits.
    public let sharesTenantLimits: Bool
    /// What any tenant allows, for preflights whose tenant cannot be told (they carry no key).
    private let anyTenantCORS: CORSPolicy

    /// A policy for `directory`. Tenants with the name of one in `previous` keep its usage, with
    /// their new limits.
    public init(
        directory: TenantDirectory, trustedProxies: TrustedProxies = TrustedProxies(), maxPayloadSize: Int = 5 << 20,
        sharesTenantLimits: Bool = false, previous: GatewayPolicy? = nil, clock: any RateLimiterClock = SystemRateLimiterClock()
    ) {
        self.directory = directory
        self.trustedProxies = trustedProxies
        self.maxPayloadSize = maxPayloadSize
        self.sharesTenantLimits = sharesTenantLimits
        var previousUsages: [String: TenantUsage] = [:]
        for usage in previous?.usages ?? [] { previousUsages[usage.name] = usage }
        usages = directory.tenants.map { tenant in
            if let usage = previousUsages[tenant.name] {
                usage.apply(tenant.limits)
                return usage
            }
            return TenantUsage(name: tenant.name, limits: tenant.limits, clock: clock)
        }
        anyTenantCORS = CORSPolicy(union: directory.corsPolicies)
    }

    /// Decides on a request head from the connection's peer `peer`; a restarted trace draws its
    /// ids from `generator`. An absolute-form `target` names the host instead of the `Host`
    /// field, and goes upstream in origin form.
    public func admit(
        method: String, target: String, headerFields: [(name: String, value: String)], peer: IPAddress,
        using generator: inout some RandomNumberGenerator
    ) -> GatewayAdmission {
        let head = RequestHeadFields(headerFields)
        let target = RequestTarget(target)
        let resolution = directory.resolve(
            host: target.authority.map(String.init) ?? head.host, path: target.originForm, apiKey: head.apiKey)
        if method == "OPTIONS" { return preflight(head, resolution: resolution) }
        // Only payloads go upstream: the collector's other routes are the gateway's own or none.
        guard method == "POST" else {
            let rejection = IntakeRejection.methodNotAllowed(allow: "POST, OPTIONS")
            if case .tenant(let index, _) = resolution { return reject(rejection, tenant: index, head) }
            return .answer(refusal(rejection, cors: anyTenantCORS, head), tenant: nil)
        }
        if head.repeatedAPIKey {
            return .answer(refusal(.badRequest("more than one x-api-key field"), cors: anyTenantCORS, head), tenant: nil)
        }
        let index: Int
        let path: Substring
        switch resolution {
        case .tenant(let found, let forwardedPath):
            index = found
            path = forwardedPath
        case .missingKey, .unknownKey:
            return .answer(refusal(.unauthorized, cors: anyTenantCORS, head), tenant: nil)
        case .conflictingKeys:
            return .answer(refusal(.badRequest("x-api-key differs from the key in the path"), cors: anyTenantCORS, head), tenant: nil)
        case .keyRequired(let tenant):
            return reject(.unauthorized, tenant: tenant, head)
        case .keyOfAnotherTenant(let tenant):
            return reject(IntakeRejection(status: 403, reason: "API key of another tenant"), tenant: tenant, head)
        }
        let tenant = directory[index]
        let usage = usages[index]
        let cors = directory.corsPolicies[index]
        if let origin = head.origin, !cors.allows(origin: origin) { return reject(.originNotAllowed, tenant: index, head) }
        let limit = tenant.maxPayloadSize ?? maxPayloadSize
        if head.invalidLength { return reject(.badRequest("invalid Content-Length"), tenant: index, head) }
        if head.unknownExpectation {
            return reject(.expectationFailed, tenant: index, head)
        }
        if let length = head.contentLength, length > limit { return reject(.payloadTooLarge(limit: limit), tenant: index, head) }
        let client = trustedProxies.clientAddress(peer: peer, forwardedFor: head.forwardedFor)
        if let retry = usage.takeRequest(from: client) {
            return reject(.tooManyRequests("client", retryAfter: retry), tenant: index, head)
        }
        var chargesBodyBytes = false
        if sharesTenantLimits, head.contentLength == nil, head.chunked, usage.limitsBytes {
            // The fleet's byte limit is charged once, with the declared length, before the body.
            return reject(IntakeRejection(status: 411, reason: "Content-Length required: the tenant's bytes are limited"), tenant: index, head)
        }
        if !sharesTenantLimits {
            if let retry = usage.takeRequest() { return reject(.tooManyRequests("tenant", retryAfter: retry), tenant: index, head) }
            if let length = head.contentLength {
                if let rejection = usage.takeBytes(length) { return reject(rejection, tenant: index, head) }
            } else {
                chargesBodyBytes = usage.limitsBytes
            }
        }
        let fields = forwardedFields(
            headerFields, head: head, policy: tenant.tracePropagation.policy(forPath: path), tenant: tenant.name, peer: peer,
            using: &generator)
        return .forward(
            ForwardedRequest(
                tenant: index, usage: usage, target: String(path), headerFields: fields,
                corsHeaders: cors.responseHeaders(origin: head.origin), contentLength: head.contentLength, maxBodyBytes: limit,
                chargesBodyBytes: chargesBodyBytes, expectsContinue: head.expectsContinue, clientAddress: client))
    }

    /// The answer to a CORS preflight, from the tenant's policy when the host, path or a key in
    /// the path tells the tenant, else from what any tenant allows.
    private func preflight(_ head: RequestHeadFields, resolution: TenantResolution) -> GatewayAdmission {
        let tenant: Int?
        switch resolution {
        case .tenant(let index, _), .keyRequired(let index), .keyOfAnotherTenant(let index): tenant = index
        case .missingKey, .unknownKey, .conflictingKeys: tenant = nil
        }
        let cors = tenant.map { directory.corsPolicies[$0] } ?? anyTenantCORS
        let fields = cors.preflightHeaders(
            origin: head.origin, requestMethod: head.accessControlRequestMethod, requestHeaders: head.accessControlRequestHeaders)
        return .answer(IntakeRejection(status: 204, reason: "", headers: fields), tenant: tenant)
    }

    private func reject(_ rejection: IntakeRejection, tenant: Int, _ head: RequestHeadFields) -> GatewayAdmission {
        usages[tenant].countRejected()
        return .answer(refusal(rejection, cors: directory.corsPolicies[tenant], head), tenant: tenant)
    }

    /// `rejection` with the CORS fields of `cors` first, so that a browser can read why.
    private func refusal(_ rejection: IntakeRejection, cors: CORSPolicy, _ head: RequestHeadFields) -> IntakeRejection {
        var answer = rejection
        answer.headers = cors.responseHeaders(origin: head.origin) + rejection.headers
        return answer
    }

    /// The fields to send upstream: without hop-by-hop fields and those `Connection` names, with
    /// the other proxy fields (`Forwarded`, `X-Forwarded-Proto`, `X-Forwarded-Host`, the client's
    /// address as `X-Real-IP`, `True-Client-IP` and the like) only from a trusted proxy, the trace headers as `policy` decides for `tenant`, a restarted
    /// context in every format the policy allows, `X-Forwarded-For` with the peer appended, and
    /// the body's framing as the gateway read it: the `Content-Length` it checked, else chunked,
    /// else an empty body.
    private func forwardedFields(
        _ fields: [(name: String, value: String)], head: RequestHeadFields, policy: PropagationPolicy, tenant: String,
        peer: IPAddress, using generator: inout some RandomNumberGenerator
    ) -> [(name: String, value: String)] {
        let fromTrustedProxy = trustedProxies.contains(peer)
        func endsAtGateway(_ name: String) -> Bool {
            head.isHopByHop(name) || (!fromTrustedProxy && RequestHeadFields.isProxyClaim(name))
        }
        let endToEnd = fields.contains { endsAtGateway($0.name) } ? fields.filter { !endsAtGateway($0.name) } : fields
        let evaluation = policy.evaluate(endToEnd, from: tenant, using: &generator)
        var forwarded = evaluation.forwardedFields
        if case .restarted(let new, _) = evaluation.outcome {
            for format in TraceHeaderFormat.allCases where policy.allowedHeaders.contains(format.carrierHeader) {
                forwarded += new.headerFields(in: format)
            }
        }
        forwarded.append(("X-Forwarded-For", trustedProxies.forwardedFor(peer: peer, incoming: head.forwardedFor)))
        if let length = head.contentLength {
            forwarded.append(("Content-Length", String(length)))
        } else if head.chunked {
            forwarded.append(("Transfer-Encoding", "chunked"))
        } else {
            forwarded.append(("Content-Length", "0"))
        }
        return forwarded
    }
}

extension TraceHeaderFormat {
    /// The header whose being allowed lets a restarted context be written in this format.
    fileprivate var carrierHeader: String {
        switch self {
        case .w3c: "traceparent"
        case .b3Single: "b3"
        case .b3Multiple: "x-b3-traceid"
        case .jaeger: "uber-trace-id"
        }
    }
}
