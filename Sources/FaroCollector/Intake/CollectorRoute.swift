public import IntakePolicy
public import OTLPCodec

/// The endpoints of a collector, as Alloy's `faro.receiver` has them, with OTLP/HTTP beside.
public enum CollectorRoute: Sendable, Hashable {
    /// `POST /collect` or `POST /collect/{app_key}`: a Faro payload.
    case collect(appKey: String?)
    /// `POST /v1/traces`, `/v1/logs` or `/v1/metrics`: an OTLP/HTTP request, protobuf or JSON.
    case otlp(OTLPSignal)
    /// `GET /-/ready`: whether the collector takes requests.
    case ready
    /// `GET /-/healthy`: whether the process is alive.
    case healthy
    /// `GET /metrics`: the Prometheus exposition of the collector's metrics.
    case metrics

    /// A route and whether the request is a CORS preflight (`OPTIONS`) for it.
    public struct Match: Sendable, Hashable {
        /// The endpoint.
        public var route: CollectorRoute
        /// Whether the request is `OPTIONS`, answered by the CORS policy.
        public var isPreflight: Bool
    }

    /// The endpoint of a request for `uri` (the request target: a path and optional query, or an
    /// absolute URL as proxies are sent) with `method` (upper case, as sent); 404 for an unknown
    /// path, 405 for a method the path does not take.
    public static func match(method: String, uri: String) -> Result<Match, IntakeRejection> {
        let target = RequestTarget(uri).originForm
        let utf8 = target.utf8
        let pathEnd = utf8.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? utf8.endIndex
        let path = target[..<pathEnd]
        let route: CollectorRoute
        switch path {
        case "/collect", "/collect/": route = .collect(appKey: nil)
        case "/v1/traces": route = .otlp(.traces)
        case "/v1/logs": route = .otlp(.logs)
        case "/v1/metrics": route = .otlp(.metrics)
        case "/-/ready": route = .ready
        case "/-/healthy": route = .healthy
        case "/metrics": route = .metrics
        default:
            let prefix = "/collect/"
            guard path.hasPrefix(prefix) else { return .failure(.notFound) }
            let key = path.dropFirst(prefix.count)
            guard !key.contains("/") else { return .failure(.notFound) }
            route = .collect(appKey: String(key))
        }
        switch (route, method) {
        case (.collect, "POST"), (.otlp, "POST"): return .success(Match(route: route, isPreflight: false))
        case (.collect, "OPTIONS"), (.otlp, "OPTIONS"): return .success(Match(route: route, isPreflight: true))
        case (.ready, "GET"), (.healthy, "GET"), (.metrics, "GET"), (.ready, "HEAD"), (.healthy, "HEAD"), (.metrics, "HEAD"):
            return .success(Match(route: route, isPreflight: false))
        case (.collect, _), (.otlp, _): return .failure(.methodNotAllowed(allow: "POST, OPTIONS"))
        default: return .failure(.methodNotAllowed(allow: "GET, HEAD"))
        }
    }
}
