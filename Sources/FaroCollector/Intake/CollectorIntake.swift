import IntakePolicy
public import TokenBucket

/// The checks a collector makes on a request's head, cheapest first, before reading any of its
/// body: route, CORS, API key and tenant, content type and coding, declared length, then the rate
/// limits (the tenant's, then the collector's, global or per application), so that a refused
/// request costs neither a body read nor a token of anyone's limit before it is authenticated.
/// A request refused by a limit spends no token of another: the tenant's is checked first, and
/// given back when the collector's refuses, so that a tenant over its own limit does not drain the
/// collector's bucket for the others.
///
/// The buckets live in a `CollectorRateLimiters`, which an intake made for a reloaded
/// configuration takes over, so that a reload does not refill them.
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

    /// An intake for `configuration` with new, full buckets; `clock` drives the rate limits
    /// (tests inject one).
    public convenience init(configuration: CollectorConfiguration, clock: any RateLimiterClock = SystemRateLimiterClock())
        throws(CollectorConfigurationError)
    {
        try self.init(configuration: configuration, limiters: CollectorRateLimiters(clock: clock))
    }

    /// An intake for `configuration` whose rate limits use the buckets of `limiters` (those of the
    /// intake it replaces, on a reload), changed to the new limits. A configuration refused leaves
    /// the buckets as they were.
    public init(configuration: CollectorConfiguration, limiters: CollectorRateLimiters) throws(CollectorConfigurationError) {
        guard configuration.maxAllowedPayloadSize > 0 else {
            throw .invalid("max_allowed_payload_size must be positive, not \(configuration.maxAllowedPayloadSize)")
        }
        let limiting = configuration.rateLimiting
        try limiting.check(owner: "")
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
        // Every tenant is checked before any bucket is touched.
        if let first = CollectorIntake.tenantProblems(configuration.tenants).first { throw first.problem }
        var tenants: [CollectorTenant] = []
        var keys = APIKeyDirectory()
        if configuration.tenants.isEmpty {
            tenants.append(
                try CollectorTenant(
                    name: nil, corsAllowedOrigins: configuration.corsAllowedOrigins,
                    sessionSampleRatio: configuration.sessionSampleRatio, limiter: nil))
            for key in configuration.apiKeys where !key.isEmpty { _ = keys.add(key, tenant: 0) }
        } else {
            let tenantLimiters = limiters.tenants(
                configuration.tenants.compactMap { tenant in
                    tenant.rateLimit.flatMap { $0.enabled ? (tenant.name, RateLimit(rate: $0.rate, burst: $0.burstSize)) : nil }
                })
            var names = Set<String>()
            for tenant in configuration.tenants {
                try CollectorIntake.add(tenant, to: &tenants, names: &names, keys: &keys, limiter: tenantLimiters[tenant.name])
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
            globalLimiter = limiters.global(limit)
            appLimiter = nil
        case (true, .perApp):
            globalLimiter = nil
            appLimiter = limiters.perApp(limit, maxKeys: limiting.maxTrackedApps)
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
        // The key checked: `x-api-key`, as Alloy checks it, else the path's.
        let key = head.apiKey ?? appKey
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
        // The tenant's token first, given back if the collector's limit refuses.
        var tenantToken: (limiter: TokenBucketLimiter, reservation: RateLimitReservation, time: Int64)? = nil
        if let limiter = tenant.limiter {
            let time = limiter.clock.nanoseconds()
            let reservation = limiter.reserve(1, at: time, maximumWait: 0)
            guard reservation.isOK else {
                return .reject(
                    with(corsHeaders, .tooManyRequests("tenant", retryAfter: IntakeRejection.retryAfter(rate: limiter.limit.rate))))
            }
            tenantToken = (limiter, reservation, time)
        }
        let collectorRefusal: String?
        if let globalLimiter, !globalLimiter.allow() {
            collectorRefusal = "collector"
        } else if let appLimiter,
            // The application: the path's key names it, else the header's.
            !appLimiter.allow(CollectorIntake.appLimiterKey(tenant: tenant.name, key: appKey ?? head.apiKey, isOTLP: isOTLP))
        {
            collectorRefusal = "application"
        } else {
            collectorRefusal = nil
        }
        if let collectorRefusal {
            if let tenantToken { tenantToken.limiter.cancel(tenantToken.reservation, at: tenantToken.time) }
            return .reject(with(corsHeaders, .tooManyRequests(collectorRefusal, retryAfter: retryAfter)))
        }
        return .readBody(
            IntakeAdmission(format: format, tenant: tenant, coding: coding, bodyLimit: limit, responseHeaders: corsHeaders))
    }

    /// The problems of `tenants` that the collector refuses, in one pass: for each tenant with a
    /// problem, its index and the first problem (an invalid name, a name or key used before, no
    /// key or an empty one, a sampling ratio out of range, a limit that cannot work), as `init`
    /// throws them.
    public static func tenantProblems(_ tenants: [TenantConfiguration]) -> [(index: Int, problem: CollectorConfigurationError)] {
        var problems: [(index: Int, problem: CollectorConfigurationError)] = []
        var checked: [CollectorTenant] = []
        var names = Set<String>()
        var keys = APIKeyDirectory()
        for (index, tenant) in tenants.enumerated() {
            do {
                try add(tenant, to: &checked, names: &names, keys: &keys, limiter: nil)
            } catch {
                problems.append((index, error))
            }
        }
        return problems
    }

    /// Checks `tenant` against the tenants before it (their `names` and `keys`) and adds it,
    /// limited by `limiter`.
    private static func add(
        _ tenant: TenantConfiguration, to tenants: inout [CollectorTenant], names: inout Set<String>,
        keys: inout APIKeyDirectory, limiter: TokenBucketLimiter?
    ) throws(CollectorConfigurationError) {
        guard TenantName.isValid(tenant.name) else {
            throw .invalid("tenant name \"\(tenant.name)\" must be 1 to 150 of the characters a-z A-Z 0-9 ! - _ . * ' ( )")
        }
        guard names.insert(tenant.name).inserted else { throw .invalid("tenant \(tenant.name) is configured twice") }
        guard !tenant.apiKeys.isEmpty else { throw .invalid("tenant \(tenant.name) has no API key") }
        if let limit = tenant.rateLimit, limit.enabled {
            try limit.check(owner: "tenant \(tenant.name): ")
            guard limit.strategy == .global else {
                throw .invalid(
                    "tenant \(tenant.name): rate_limiting.strategy per_app applies only to the server's rate_limiting; a tenant's limit counts all its requests")
            }
        }
        let index = tenants.count
        tenants.append(
            try CollectorTenant(
                name: tenant.name, corsAllowedOrigins: tenant.corsAllowedOrigins,
                sessionSampleRatio: tenant.sessionSampleRatio, limiter: limiter))
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

    /// The bucket of a request under the per-application strategy: its tenant's name (no `/` in
    /// it; empty for the default tenant, so that the bucket outlives a reload) and key.
    private static func appLimiterKey(tenant: String?, key: String?, isOTLP: Bool) -> String {
        "\(tenant ?? "")/\(isOTLP ? "otlp" : "faro")/\(key ?? "")"
    }
}
