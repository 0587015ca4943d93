import FaroCollector
import IntakePolicy
import OTLPCodec
import TokenBucket
import Testing

/// The checks on a request's head, without a server: each refusal's status, reason and headers,
/// in the order the checks run.
@Suite("CollectorIntake")
struct CollectorIntakeTests {
    static let start: Int64 = 1_000_000_000_000

    static func post(_ uri: String = "/collect", origin: String? = nil, key: String? = nil, type: String? = "application/json",
        encoding: String? = nil, length: Int? = nil) -> IntakeRequestHead {
        IntakeRequestHead(
            method: "POST", uri: uri, origin: origin, apiKey: key, contentType: type, contentEncoding: encoding, contentLength: length)
    }

    static func intake(_ configure: (inout CollectorConfiguration) -> Void = { _ in }, clock: ManualRateLimiterClock = ManualRateLimiterClock())
        throws -> CollectorIntake
    {
        var configuration = CollectorConfiguration()
        configure(&configuration)
        return try CollectorIntake(configuration: configuration, clock: clock)
    }

    /// The rejection of `decision`, or nil when it is not one.
    static func rejection(_ decision: IntakeDecision) -> IntakeRejection? {
        if case .reject(let rejection) = decision { return rejection }
        return nil
    }

    /// The admission of `decision`, or nil when it is not one.
    static func admission(_ decision: IntakeDecision) -> IntakeAdmission? {
        if case .readBody(let admission) = decision { return admission }
        return nil
    }

    @Test("routes: endpoints, 404 and 405 with Allow")
    func routes() throws {
        let intake = try Self.intake()
        #expect(Self.admission(intake.decide(Self.post("/collect")))?.format == .faro)
        #expect(Self.admission(intake.decide(Self.post("/collect?x=1")))?.format == .faro)
        #expect(Self.rejection(intake.decide(Self.post("/collectx")))?.status == 404)
        #expect(Self.rejection(intake.decide(Self.post("/collect/a/b")))?.status == 404)
        #expect(Self.rejection(intake.decide(Self.post("/")))?.status == 404)
        let get = Self.rejection(intake.decide(IntakeRequestHead(method: "GET", uri: "/collect")))
        #expect(get?.status == 405)
        #expect(get?.headers == [HTTPField(name: "Allow", value: "POST, OPTIONS")])
        #expect(Self.rejection(intake.decide(IntakeRequestHead(method: "POST", uri: "/-/ready")))?.headers
            == [HTTPField(name: "Allow", value: "GET, HEAD")])
        for (uri, route) in [("/-/ready", CollectorRoute.ready), ("/-/healthy", .healthy), ("/metrics", .metrics)] {
            guard case .serve(let served) = intake.decide(IntakeRequestHead(method: "GET", uri: uri)) else {
                Issue.record("\(uri) is not served")
                continue
            }
            #expect(served == route)
        }
        let otlp = Self.post("/v1/traces", type: "application/x-protobuf")
        #expect(Self.admission(intake.decide(otlp))?.format == .otlpProtobuf(.traces))
        #expect(Self.admission(intake.decide(Self.post("/v1/logs", type: "application/json")))?.format == .otlpJSON(.logs))
    }

    @Test("absolute-form targets, as proxies are sent, route by their path as Go's server routes them for Alloy")
    func absoluteFormRoutes() throws {
        let intake = try Self.intake { $0.apiKeys = ["k1"] }
        #expect(Self.admission(intake.decide(Self.post("http://rum.example.com/collect", key: "k1")))?.format == .faro)
        #expect(Self.admission(intake.decide(Self.post("HTTP://rum.example.com:12347/collect/k1?x=1"))) != nil)
        #expect(Self.rejection(intake.decide(Self.post("http://rum.example.com/collect/nope")))?.status == 401)
        let otlp = Self.post("https://rum.example.com/v1/traces", key: "k1", type: "application/x-protobuf")
        #expect(Self.admission(intake.decide(otlp))?.format == .otlpProtobuf(.traces))
        #expect(Self.rejection(intake.decide(Self.post("http://rum.example.com", key: "k1")))?.status == 404)
        #expect(Self.rejection(intake.decide(Self.post("http://rum.example.com/other/collect", key: "k1")))?.status == 404)
        guard case .serve(.ready) = intake.decide(IntakeRequestHead(method: "GET", uri: "http://127.0.0.1:12347/-/ready")) else {
            Issue.record("an absolute-form /-/ready is not served")
            return
        }
    }

    @Test("media types and codings: 415 with the reason")
    func mediaTypes() throws {
        let intake = try Self.intake()
        for type in [nil, "application/json", "application/json; charset=utf-8", "text/plain;charset=UTF-8", " Application/JSON "] {
            #expect(Self.admission(intake.decide(Self.post(type: type))) != nil, "\(type ?? "none")")
        }
        let xml = Self.rejection(intake.decide(Self.post(type: "application/xml")))
        #expect(xml == .unsupportedMediaType("Faro payloads are application/json, not application/xml"))
        #expect(Self.rejection(intake.decide(Self.post("/v1/traces", type: "text/plain")))?.status == 415)
        #expect(Self.admission(intake.decide(Self.post(encoding: "gzip")))?.coding == .gzip)
        #expect(Self.admission(intake.decide(Self.post(encoding: "deflate")))?.coding == .deflate)
        #expect(Self.rejection(intake.decide(Self.post(encoding: "br"))) == .unsupportedMediaType("unsupported content encoding br"))
    }

    @Test("a declared length over the limit is refused before the body")
    func declaredLength() throws {
        let intake = try Self.intake { $0.maxAllowedPayloadSize = 1000 }
        #expect(Self.admission(intake.decide(Self.post(length: 1000)))?.bodyLimit == 1000)
        #expect(Self.rejection(intake.decide(Self.post(length: 1001))) == .payloadTooLarge(limit: 1000))
    }

    @Test("API keys of the default tenant: the header's as Alloy reads it, else the path's, compared exactly")
    func defaultTenantKeys() throws {
        let intake = try Self.intake { $0.apiKeys = ["k1", "k2"] }
        #expect(Self.rejection(intake.decide(Self.post()))?.status == 401)
        #expect(Self.rejection(intake.decide(Self.post(key: "k3")))?.reason == "API key not provided or incorrect")
        #expect(Self.rejection(intake.decide(Self.post(key: "k")))?.status == 401)
        #expect(Self.rejection(intake.decide(Self.post(key: "k1 ")))?.status == 401)
        #expect(Self.admission(intake.decide(Self.post(key: "k2")))?.tenant.name == nil)
        #expect(Self.admission(intake.decide(Self.post("/collect/k1"))) != nil)
        // Alloy checks only x-api-key: a path key beside it does not change what is checked.
        #expect(Self.admission(intake.decide(Self.post("/collect/nope", key: "k1"))) != nil)
        #expect(Self.rejection(intake.decide(Self.post("/collect/k1", key: "nope")))?.status == 401)
        // Without keys configured, none is needed and any is ignored.
        #expect(Self.admission(try Self.intake().decide(Self.post(key: "whatever"))) != nil)
    }

    @Test("tenants: a key names its tenant; origins, limits and sampling are the tenant's")
    func tenants() throws {
        let clock = ManualRateLimiterClock(nanoseconds: Self.start)
        let intake = try Self.intake(
            {
                $0.rateLimiting.enabled = false
                $0.tenants = [
                    TenantConfiguration(name: "shop", apiKeys: ["s1", "s2"], corsAllowedOrigins: ["https://*.shop.example"]),
                    TenantConfiguration(
                        name: "blog", apiKeys: ["b1"], rateLimit: RateLimitingConfiguration(rate: 1, burstSize: 4), sessionSampleRatio: 0.5),
                ]
            }, clock: clock)
        #expect(Self.admission(intake.decide(Self.post(key: "s2")))?.tenant.name == "shop")
        #expect(Self.admission(intake.decide(Self.post("/collect/b1")))?.tenant.name == "blog")
        #expect(Self.admission(intake.decide(Self.post("/collect/b1", key: "s1")))?.tenant.name == "shop")
        #expect(Self.admission(intake.decide(Self.post("/collect/b1")))?.tenant.sessions.ratio == 0.5)
        #expect(Self.rejection(intake.decide(Self.post()))?.status == 401)
        // The shop's origins; blog has none configured, so any origin may post as blog.
        let shop = Self.admission(intake.decide(Self.post(origin: "https://www.shop.example", key: "s1")))
        #expect(shop?.responseHeaders.contains(HTTPField(name: "Access-Control-Allow-Origin", value: "https://www.shop.example")) == true)
        #expect(Self.rejection(intake.decide(Self.post(origin: "https://evil.example", key: "s1"))) == IntakeRejection(
            status: 403, reason: "origin not allowed", headers: [HTTPField(name: "Vary", value: "Origin")]))
        #expect(Self.admission(intake.decide(Self.post(origin: "https://evil.example", key: "b1"))) != nil)
        // blog's own limit: a burst of 4 (three taken above), then 429 until a token comes.
        #expect(Self.admission(intake.decide(Self.post(key: "b1"))) != nil)
        let limited = Self.rejection(intake.decide(Self.post(key: "b1")))
        #expect(limited?.status == 429)
        #expect(limited?.headers.contains(HTTPField(name: "Retry-After", value: "1")) == true)
        #expect(Self.admission(intake.decide(Self.post(key: "s1"))) != nil, "another tenant is not limited")
        clock.advance(by: .seconds(1))
        #expect(Self.admission(intake.decide(Self.post(key: "b1"))) != nil)
    }

    @Test("invalid tenant configurations are refused with the reason")
    func invalidTenants() {
        func error(_ tenants: [TenantConfiguration]) -> CollectorConfigurationError? {
            var configuration = CollectorConfiguration()
            configuration.tenants = tenants
            do {
                _ = try CollectorIntake(configuration: configuration)
                return nil
            } catch {
                return error
            }
        }
        #expect(error([TenantConfiguration(name: "a b", apiKeys: ["k"])]) != nil)
        #expect(error([TenantConfiguration(name: "a", apiKeys: [])]) == .invalid("tenant a has no API key"))
        #expect(
            error([TenantConfiguration(name: "a", apiKeys: ["k"]), TenantConfiguration(name: "b", apiKeys: ["k"])])
                == .invalid("an API key of tenant b is already used"))
        #expect(
            error([TenantConfiguration(name: "a", apiKeys: ["k"]), TenantConfiguration(name: "a", apiKeys: ["j"])])
                == .invalid("tenant a is configured twice"))
        #expect(error([TenantConfiguration(name: "a", apiKeys: ["k"], sessionSampleRatio: 1.5)]) != nil)
    }

    @Test("tenantProblems reports every refused tenant with its index, as the intake refuses it")
    func tenantProblems() {
        let tenants = [
            TenantConfiguration(name: "a", apiKeys: ["k"]),
            TenantConfiguration(name: "b", apiKeys: ["k"]),
            TenantConfiguration(name: "c", apiKeys: ["j"]),
            TenantConfiguration(name: "a", apiKeys: ["i"]),
            TenantConfiguration(name: "d", apiKeys: []),
        ]
        let problems = CollectorIntake.tenantProblems(tenants)
        #expect(problems.map(\.index) == [1, 3, 4])
        #expect(
            problems.map(\.problem) == [
                .invalid("an API key of tenant b is already used"), .invalid("tenant a is configured twice"),
                .invalid("tenant d has no API key"),
            ])
        #expect(CollectorIntake.tenantProblems(Array(tenants[0...0]) + [tenants[2]]).isEmpty)
    }

    @Test("the global limit: Alloy's bucket, 429 with Retry-After, refill with time")
    func globalLimit() throws {
        let clock = ManualRateLimiterClock(nanoseconds: Self.start)
        let intake = try Self.intake({ $0.rateLimiting = RateLimitingConfiguration(rate: 2, burstSize: 3) }, clock: clock)
        for _ in 0..<3 { #expect(Self.admission(intake.decide(Self.post())) != nil) }
        let limited = Self.rejection(intake.decide(Self.post()))
        #expect(limited == .tooManyRequests("collector", retryAfter: 1))
        clock.advance(by: .milliseconds(500))
        #expect(Self.admission(intake.decide(Self.post())) != nil)
        #expect(Self.rejection(intake.decide(Self.post()))?.status == 429)
        // A refused key does not take a token: authentication comes first.
        let keyed = try Self.intake({ $0.rateLimiting = RateLimitingConfiguration(rate: 1, burstSize: 1); $0.apiKeys = ["k"] }, clock: clock)
        for _ in 0..<10 { #expect(Self.rejection(keyed.decide(Self.post(key: "bad")))?.status == 401) }
        #expect(Self.admission(keyed.decide(Self.post(key: "k"))) != nil)
    }

    @Test("per_app: one application's flood leaves the others their share")
    func perAppLimit() throws {
        let clock = ManualRateLimiterClock(nanoseconds: Self.start)
        let intake = try Self.intake(
            {
                $0.rateLimiting = RateLimitingConfiguration(rate: 1, burstSize: 2, strategy: .perApp)
                $0.apiKeys = ["a", "b"]
            }, clock: clock)
        for _ in 0..<2 { #expect(Self.admission(intake.decide(Self.post("/collect/a"))) != nil) }
        #expect(Self.rejection(intake.decide(Self.post("/collect/a")))?.reason == "too many requests: application rate limit exceeded")
        // The path's key names the application, whichever key x-api-key checks.
        #expect(Self.rejection(intake.decide(Self.post("/collect/a", key: "b")))?.status == 429)
        for _ in 0..<2 { #expect(Self.admission(intake.decide(Self.post(key: "b"))) != nil) }
        #expect(Self.rejection(intake.decide(Self.post(key: "b")))?.status == 429)
    }

    /// An intake whose collector limit is 1/s with `collectorBurst`, for tenant `a` (key `ka`,
    /// 0.001/s, burst 1) and tenant `b` (key `kb`, no limit of its own).
    static func twoTenants(collectorBurst: Int, clock: ManualRateLimiterClock) throws -> CollectorIntake {
        try intake(
            {
                $0.rateLimiting = RateLimitingConfiguration(rate: 1, burstSize: collectorBurst)
                $0.tenants = [
                    TenantConfiguration(name: "a", apiKeys: ["ka"], rateLimit: RateLimitingConfiguration(rate: 0.001, burstSize: 1)),
                    TenantConfiguration(name: "b", apiKeys: ["kb"]),
                ]
            }, clock: clock)
    }

    @Test("a request refused by one limit spends no token of another: a tenant over its limit leaves the collector's bucket to the others")
    func refusedRequestsSpendNoOtherTokens() throws {
        let clock = ManualRateLimiterClock(nanoseconds: Self.start)
        let intake = try Self.twoTenants(collectorBurst: 5, clock: clock)
        let statuses = (0..<6).map { _ in Self.rejection(intake.decide(Self.post(key: "ka")))?.status ?? 202 }
        #expect(statuses == [202, 429, 429, 429, 429, 429])
        #expect(Self.rejection(intake.decide(Self.post(key: "ka")))?.reason == "too many requests: tenant rate limit exceeded")
        // The collector's bucket lost one token to a, not six: b has the four left.
        for _ in 0..<4 { #expect(Self.admission(intake.decide(Self.post(key: "kb"))) != nil) }
        #expect(Self.rejection(intake.decide(Self.post(key: "kb")))?.reason == "too many requests: collector rate limit exceeded")
        // The other way round: the collector's limit refuses a, and a's token is given back.
        let tight = try Self.twoTenants(collectorBurst: 1, clock: clock)
        #expect(Self.admission(tight.decide(Self.post(key: "kb"))) != nil)
        #expect(Self.rejection(tight.decide(Self.post(key: "ka")))?.reason == "too many requests: collector rate limit exceeded")
        clock.advance(by: .seconds(1))
        #expect(Self.admission(tight.decide(Self.post(key: "ka"))) != nil, "a's own token was not spent by the collector's refusal")
    }

    @Test("an intake made for a reloaded configuration keeps the buckets and their tokens, with the new limits")
    func reloadKeepsBuckets() throws {
        let clock = ManualRateLimiterClock(nanoseconds: Self.start)
        let limiters = CollectorRateLimiters(clock: clock)
        func intake(globalBurst: Int, tenantBurst: Int) throws -> CollectorIntake {
            var configuration = CollectorConfiguration()
            configuration.rateLimiting = RateLimitingConfiguration(rate: 1, burstSize: globalBurst)
            configuration.tenants = [
                TenantConfiguration(name: "a", apiKeys: ["ka"], rateLimit: RateLimitingConfiguration(rate: 1, burstSize: tenantBurst)),
                TenantConfiguration(name: "b", apiKeys: ["kb"]),
            ]
            return try CollectorIntake(configuration: configuration, limiters: limiters)
        }
        let first = try intake(globalBurst: 3, tenantBurst: 1)
        #expect(Self.admission(first.decide(Self.post(key: "ka"))) != nil)
        for _ in 0..<2 { #expect(Self.admission(first.decide(Self.post(key: "kb"))) != nil) }
        // The same configuration again: both buckets stay empty.
        let same = try intake(globalBurst: 3, tenantBurst: 1)
        #expect(Self.rejection(same.decide(Self.post(key: "ka")))?.reason == "too many requests: tenant rate limit exceeded")
        #expect(Self.rejection(same.decide(Self.post(key: "kb")))?.reason == "too many requests: collector rate limit exceeded")
        // Larger bursts: the tokens there were are kept, and the buckets fill to the new sizes.
        let larger = try intake(globalBurst: 10, tenantBurst: 4)
        #expect(Self.rejection(larger.decide(Self.post(key: "kb")))?.status == 429)
        clock.advance(by: .seconds(100))
        for _ in 0..<4 { #expect(Self.admission(larger.decide(Self.post(key: "ka"))) != nil) }
        #expect(Self.rejection(larger.decide(Self.post(key: "ka")))?.reason == "too many requests: tenant rate limit exceeded")
        // A configuration refused leaves the buckets as they were: a's is not let go for a new one.
        var refused = CollectorConfiguration()
        refused.tenants = [TenantConfiguration(name: "c", apiKeys: [])]
        #expect(throws: CollectorConfigurationError.self) { try CollectorIntake(configuration: refused, limiters: limiters) }
        let again = try intake(globalBurst: 10, tenantBurst: 4)
        #expect(Self.rejection(again.decide(Self.post(key: "ka")))?.reason == "too many requests: tenant rate limit exceeded")
    }

    @Test("per_app buckets are kept by a reload that leaves their limit as it was")
    func reloadKeepsAppBuckets() throws {
        let clock = ManualRateLimiterClock(nanoseconds: Self.start)
        let limiters = CollectorRateLimiters(clock: clock)
        var configuration = CollectorConfiguration()
        configuration.rateLimiting = RateLimitingConfiguration(rate: 1, burstSize: 1, strategy: .perApp)
        configuration.apiKeys = ["a"]
        let first = try CollectorIntake(configuration: configuration, limiters: limiters)
        #expect(Self.admission(first.decide(Self.post("/collect/a"))) != nil)
        configuration.apiKeys = ["a", "b"]
        let second = try CollectorIntake(configuration: configuration, limiters: limiters)
        #expect(Self.rejection(second.decide(Self.post("/collect/a")))?.reason == "too many requests: application rate limit exceeded")
        #expect(Self.admission(second.decide(Self.post("/collect/b"))) != nil)
    }

    @Test("a tenant's limit with strategy per_app is refused, not ignored")
    func tenantPerAppRefused() {
        var configuration = CollectorConfiguration()
        configuration.tenants = [
            TenantConfiguration(
                name: "a", apiKeys: ["k"], rateLimit: RateLimitingConfiguration(rate: 1, burstSize: 1, strategy: .perApp))
        ]
        #expect(
            throws: CollectorConfigurationError.invalid(
                "tenant a: rate_limiting.strategy per_app applies only to the server's rate_limiting; a tenant's limit counts all its requests")
        ) { try CollectorIntake(configuration: configuration) }
    }

    @Test("CORS preflights answer as rs/cors does")
    func preflight() throws {
        let intake = try Self.intake { $0.corsAllowedOrigins = ["https://app.example.com", "https://*.cdn.example"] }
        func preflight(origin: String?, method: String? = "POST", headers: String? = nil) -> [HTTPField]? {
            let head = IntakeRequestHead(
                method: "OPTIONS", uri: "/collect", origin: origin, accessControlRequestMethod: method,
                accessControlRequestHeaders: headers)
            if case .preflight(let fields) = intake.decide(head) { return fields }
            return nil
        }
        let vary = HTTPField(name: "Vary", value: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
        #expect(
            preflight(origin: "https://app.example.com", headers: "Content-Type, X-API-Key") == [
                vary, HTTPField(name: "Access-Control-Allow-Origin", value: "https://app.example.com"),
                HTTPField(name: "Access-Control-Allow-Methods", value: "POST"),
                HTTPField(name: "Access-Control-Allow-Headers", value: "content-type, x-api-key"),
            ])
        #expect(preflight(origin: "https://x.cdn.example")?.count == 3)
        #expect(preflight(origin: "https://cdn.example") == [vary], "the wildcard needs a label")
        #expect(preflight(origin: "https://evil.example") == [vary])
        #expect(preflight(origin: "https://app.example.com", method: "DELETE") == [vary])
        #expect(preflight(origin: "https://app.example.com", headers: "x-secret") == [vary])
        #expect(Self.rejection(intake.decide(Self.post(origin: "https://evil.example")))?.status == 403)
        let allowed = Self.admission(intake.decide(Self.post(origin: "HTTPS://APP.EXAMPLE.COM")))
        #expect(allowed?.responseHeaders.contains(HTTPField(name: "Access-Control-Allow-Origin", value: "HTTPS://APP.EXAMPLE.COM")) == true)
        // Without CORS configured, no headers and every origin passes, as in Alloy.
        let open = try Self.intake()
        #expect(Self.admission(open.decide(Self.post(origin: "https://any.example")))?.responseHeaders == [])
        let star = try Self.intake { $0.corsAllowedOrigins = ["*"] }
        #expect(Self.admission(star.decide(Self.post(origin: "https://any.example")))?.responseHeaders.contains(
            HTTPField(name: "Access-Control-Allow-Origin", value: "*")) == true)
    }
}
