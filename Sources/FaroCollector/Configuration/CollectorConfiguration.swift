public import FaroModel

/// What a collector accepts and how it writes what it accepts; the defaults are those of Grafana
/// Alloy's `faro.receiver`, and the names follow its arguments where it has one.
///
/// With no tenants, every request belongs to one default tenant, which needs no API key unless
/// `apiKeys` names some (Alloy's `api_key`), and sends to Loki without a tenant header. With
/// tenants, every request must carry the API key of one of them.
///
/// ```swift
/// var configuration = CollectorConfiguration()
/// configuration.corsAllowedOrigins = ["https://shop.example.com"]
/// configuration.rateLimiting.strategy = .perApp
/// configuration.tenants = [
///     TenantConfiguration(name: "shop", apiKeys: ["s3cr3t"], corsAllowedOrigins: ["https://*.example.com"])
/// ]
/// ```
public struct CollectorConfiguration: Sendable {
    /// The most bytes a request body may hold, read and, when compressed, inflated (Alloy's
    /// `max_allowed_payload_size`, 5 MiB).
    public var maxAllowedPayloadSize: Int = 5 << 20
    /// The request rate limits (Alloy's `rate_limiting` block).
    public var rateLimiting = RateLimitingConfiguration()
    /// The format of the Loki lines (Alloy's `log_format`): logfmt by default.
    public var logFormat: FaroLogFormat = .logfmt
    /// Stream labels added to every line (Alloy's `extra_log_labels`); an empty value takes the
    /// line's value of the key of that name.
    public var extraLogLabels: [String: String] = [:]
    /// The stream labels of lines that get none from `extraLogLabels`: Loki refuses a stream
    /// without labels. (Alloy's receiver attaches none by default and leaves labelling to the
    /// pipeline after it; here the collector writes to Loki itself.)
    public var defaultStreamLabels: [String: String] = ["service_name": "faro"]
    /// The API keys of the default tenant (Alloy's `api_key`; several may be valid at once, for
    /// rotation). Empty: the default tenant needs none. Ignored when `tenants` is not empty.
    public var apiKeys: [String] = []
    /// The origins whose browsers may post to the default tenant (Alloy's `cors_allowed_origins`):
    /// `*` for any, or origins with at most one `*` wildcard, such as `https://*.example.com`.
    /// Empty: no CORS headers are sent, as Alloy does.
    public var corsAllowedOrigins: [String] = []
    /// The ratio of sessions kept by the default tenant (0 to 1); payloads of other sessions
    /// are answered as accepted and dropped.
    public var sessionSampleRatio: Double = 1
    /// The tenants; empty for the single default tenant.
    public var tenants: [TenantConfiguration] = []
    /// Where source maps come from, to rewrite exceptions' stack frames (Alloy's `sourcemaps`).
    public var sourceMaps = SourceMapsConfiguration()
    /// Bounds on the payloads the decoder accepts (nesting, items, string length); its payload
    /// size bound is `maxAllowedPayloadSize`.
    public var decodingLimits = FaroDecodingLimits()
    /// What the decoder does with ill-formed UTF-8 and lone `\u` surrogates in a payload's
    /// strings: by default it replaces each by U+FFFD and takes the payload, as Alloy (Go's
    /// `encoding/json`) does, so that a browser string cut in the middle of a surrogate pair does
    /// not lose the whole batch; `.reject` answers such a payload 400.
    public var invalidUTF8 = InvalidUTF8Handling.replace

    /// The defaults.
    public init() {}
}
