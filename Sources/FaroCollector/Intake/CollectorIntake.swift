import IntakePolicy
public import TokenBucket

/// The checks a collector makes on a request's head, cheapest first, before reading any of its
/// body: route, CORS, API key and tenant, content type and coding, declared length, then the rate
/// limits (the collector's, global or per application, then the tenant's), so that a refused
/// request costs neither a body read nor a token of anyone's limit before it is authenticated.
///
/// Framework-free: the embedding HTTP server copies the head into an `IntakeRequestHead` and acts
/// on the `IntakeDecision`. Safe to call from any thread.
public final class CollectorIntake: Sendable {
    /// The configuration it was made from.
    public let configuration: CollectorConfiguration
    private let tenants: [CollectorTenant]
    private let keys: APIKeyDirectory
    /// Whether a request must carry a key: tenants are configured, or the default tenant has keys.
    private let requiresKey: Bool
    /// What any tenant allows, for preflights, which carry no key.
    private let anyTenantCORS: CORSPolicy
    private let globalLimiter: GCRALimiter?
    private let appLimiter: KeyedRateLimiter<String>?
    /// `Retry-After` of the collector's own limit, whole seconds.
    private let retryAfter: Int

    /// An intake for `configuration`; `clock` drives the rate limits (tests inject one).
    public init(configuration: CollectorConfiguration, clock: any RateLimiterClock = SystemRateLimiterClock())
        throws(CollectorConfigurationError)
    {
        guard configuration.maxAllowedPayloadSize > 0 else {
            throw .invalid("max_allowed_payload_size must be positive, not \(configuration.maxAllowedPayloadSize)")
        }
        let limiting = configuration.rateLimiting
        if limiting.enabled {
            guard limiting.rate >= 0, !limiting.rate.isNaN else { throw .invalid("rate_limiting.rate must not be negative") }
            guard limiting.burstSize >= 0 else { throw .invalid("rate_limiting.burst_size must not be negative") }
        }
        if !configuration.tenants.isEmpty {
            // Said and not applied would leave a browser without CORS fields or a key refused.
            var unused: [String] = []
            if !configuration.apiKeys.isEmpty { unused.append("api_key") }
            if !configuration.corsAllowedOrigins.isEmpty { unused.append("cors_allowed_origins") }
            if configuration.sessionSampleRatio != 1 { unused.append("session_sample_ratio") }
            guard unused.isEmpty else {
                throw .invalid("\(unused.joined(separator: ", ")) of the server apply only without tenants: set them on each tenant")
            }
        }
        var tenants: [CollectorTenant] = []
        var keys = APIKeyDirectory()
        if configuration.tenants.isEmpty {
            tenants.append(
                try CollectorTenant(
                    name: nil, corsAllowedOrigins: configuration.corsAllowedOrigins,
                    sessionSampleRatio: configuration.sessionSampleRatio, rateLimit: nil, clock: clock))
            for key in configuration.apiKeys where !key.isEmpty { _ = keys.add(key, tenant: 0) }
        } else {
            var names = Set<String>()
            for tenant in configuration.tenants {
                try CollectorIntake.add(tenant, to: &tenants, names: &names, keys: &keys, clock: clock)
            }
        }
        self.configuration = configuration
        self.tenants = tenants
        self.keys = keys
        self.requiresKey = !keys.isEmpty
        self.anyTenantCORS = CORSPolicy(union: tenants.map(\.cors))
        let limit = RateLimit(rate: limiting.rate, burst: limiting.burstSize)
        switch (limiting.enabled, limiting.strategy) {
        case (false, _):
            globalLimiter = nil
            appLimiter = nil
        case (true, .global):
            globalLimiter = GCRALimiter(limit, clock: clock)
            appLimiter = nil
        case (true, .perApp):
            globalLimiter = nil
            appLimiter = KeyedRateLimiter(limit: limit, maxKeys: limiting.maxTrackedApps, clock: clock)
        }
        retryAfter = IntakeRejection.retryAfter(rate: limiting.rate)
    }

    /// Decides what to do with a request from its head.
    public func decide(_ head: IntakeRequestHead) -> IntakeDecision {
        let match: CollectorRoute.Match
        switch CollectorRoute.match(method: head.method, uri: head.uri) {
        case .success(let found): match = found
        case .failure(let rejection): return .reject(rejection)
        }
        let appKey: String?
        let isOTLP: Bool
        switch match.route {
        case .ready, .healthy, .metrics: return .serve(match.route)
        case .collect(let key):
            appKey = key
            isOTLP = false
        case .otlp:
            appKey = nil
            isOTLP = true
        }
        if match.isPreflight {
            let policy = appKey.flatMap { keys.tenant(of: $0) }.map { tenants[$0].cors } ?? anyTenantCORS
            return .preflight(
                policy.preflightHeaders(
                    origin: head.origin, requestMethod: head.accessControlRequestMethod,
                    requestHeaders: head.accessControlRequestHeaders))
        }
        if let origin = head.origin, !anyTenantCORS.allows(origin: origin) {
            return .reject(.originNotAllowed)
        }
        // The key: the path's, else the header's.
        let key = appKey ?? head.apiKey
        let tenantIndex: Int
        if requiresKey {
            guard let key, let found = keys.tenant(of: key) else {
                return .reject(with(anyTenantCORS.responseHeaders(origin: head.origin), .unauthorized))
            }
            tenantIndex = found
        } else {
            tenantIndex = 0
        }
        let tenant = tenants[tenantIndex]
        let corsHeaders = tenant.cors.responseHeaders(origin: head.origin)
        if let origin = head.origin, !tenant.cors.allows(origin: origin) {
            return .reject(with(corsHeaders, .originNotAllowed))
        }
        let format: IntakeAdmission.BodyFormat
        switch BodyMediaType.of(head.contentType, route: match.route) {
        case .success(let found): format = found
        case .failure(let rejection): return .reject(with(corsHeaders, rejection))
        }
        let coding: ContentCoding
        do {
            coding = try ContentCoding(headerValue: head.contentEncoding)
        } catch {
            return .reject(with(corsHeaders, .unsupportedMediaType("unsupported content encoding \(error.value)")))
        }
        let limit = configuration.maxAllowedPayloadSize
        if let length = head.contentLength, length > limit {
            return .reject(with(corsHeaders, .payloadTooLarge(limit: limit)))
        }
        if let globalLimiter, !globalLimiter.allow() {
            return .reject(with(corsHeaders, .tooManyRequests("collector", retryAfter: retryAfter)))
        }
        if let appLimiter, !appLimiter.allow(CollectorIntake.appLimiterKey(tenant: tenantIndex, key: key, isOTLP: isOTLP)) {
            return .reject(with(corsHeaders, .tooManyRequests("application", retryAfter: retryAfter)))
        }
        if let limiter = tenant.limiter, !limiter.allow() {
            return .reject(
                with(corsHeaders, .tooManyRequests("tenant", retryAfter: IntakeRejection.retryAfter(rate: limiter.limit.rate))))
        }
        return .readBody(
            IntakeAdmission(format: format, tenant: tenant, coding: coding, bodyLimit: limit, responseHeaders: corsHeaders))
    }

    /// The problems of `tenants` that the collector refuses, in one pass: for each tenant with a
    /// problem, its index and the first problem (an invalid name, a name or key used before, no
    /// key or an empty one, a sampling ratio out of range), as `init` throws them.
    public static func tenantProblems(_ tenants: [TenantConfiguration]) -> [(index: Int, problem: CollectorConfigurationError)] {
        var problems: [(index: Int, problem: CollectorConfigurationError)] = []
        var checked: [CollectorTenant] = []
        var names = Set<String>()
        var keys = APIKeyDirectory()
        for (index, tenant) in tenants.enumerated() {
            do {
                try add(tenant, to: &checked, names: &names, keys: &keys, clock: SystemRateLimiterClock())
            } catch {
                problems.append((index, error))
            }
        }
        return problems
    }

    /// Checks `tenant` against the tenants before it (their `names` and `keys`) and adds it.
    private static func add(
        _ tenant: TenantConfiguration, to tenants: inout [CollectorTenant], names: inout Set<String>,
        keys: inout APIKeyDirectory, clock: any RateLimiterClock
    ) throws(CollectorConfigurationError) {
        guard TenantName.isValid(tenant.name) else {
            throw .invalid("tenant name \"\(tenant.name)\" must be 1 to 150 of the characters a-z A-Z 0-9 ! - _ . * ' ( )")
        }
        guard names.insert(tenant.name).inserted else { throw .invalid("tenant \(tenant.name) is configured twice") }
        guard !tenant.apiKeys.isEmpty else { throw .invalid("tenant \(tenant.name) has no API key") }
        let index = tenants.count
        tenants.append(
            try CollectorTenant(
                name: tenant.name, corsAllowedOrigins: tenant.corsAllowedOrigins,
                sessionSampleRatio: tenant.sessionSampleRatio, rateLimit: tenant.rateLimit, clock: clock))
        for key in tenant.apiKeys {
            guard !key.isEmpty else { throw .invalid("tenant \(tenant.name) has an empty API key") }
            guard keys.add(key, tenant: index) else { throw .invalid("an API key of tenant \(tenant.name) is already used") }
        }
    }

    /// `rejection` with `headers` added.
    private func with(_ headers: [HTTPField], _ rejection: IntakeRejection) -> IntakeRejection {
        var rejection = rejection
        rejection.headers += headers
        return rejection
    }

    /// The bucket of a request under the per-application strategy: its tenant and key.
    private static func appLimiterKey(tenant: Int, key: String?, isOTLP: Bool) -> String {
        "\(tenant)/\(isOTLP ? "otlp" : "faro")/\(key ?? "")"
    }
}
