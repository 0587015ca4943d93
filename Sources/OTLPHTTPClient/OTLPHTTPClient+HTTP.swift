import AsyncHTTPClient
import PushDelivery

extension OTLPHTTPClient {
    /// Whether a request answered `status` may succeed later: the OTLP specification's
    /// retryable statuses, `429`, `502`, `503` and `504`.
    static func isRetryable(status: Int) -> Bool {
        switch status {
        case 429, 502, 503, 504: true
        default: false
        }
    }

    /// Sends one request with `body` for `key`'s signal and tenant, counting its duration.
    func send(_ body: ContiguousArray<UInt8>, key: OTLPLaneKey, metrics: OTLPSignalMetrics) async -> PushAttempt {
        await httpClient.push(body, to: url(for: key.signal), headers: baseHeaders, tenant: key.tenant, timeout: configuration.timeout) {
            metrics.requestDuration($0, statusCode: $1)
        }
    }

    /// The headers every request carries: content type and encoding, user agent, and the
    /// configured headers.
    static func headers(for configuration: OTLPHTTPClientConfiguration) -> [(String, String)] {
        var headers: [(String, String)] = [("Content-Type", "application/x-protobuf"), ("User-Agent", "swift-rum-OTLPHTTPClient/1")]
        if configuration.compression == .gzip { headers.append(("Content-Encoding", "gzip")) }
        headers += configuration.headers.map { ($0.name, $0.value) }
        return headers
    }

    /// The endpoint without trailing slashes, or `nil` if it is not an `http` or `https` URL
    /// with a host.
    static func baseURL(_ endpoint: String) -> String? {
        let lowercased = endpoint.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lowercased.hasPrefix($0) }) else { return nil }
        let authority = endpoint.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !endpoint.contains("?"), !endpoint.contains("#") else { return nil }
        var base = Substring(endpoint)
        while base.hasSuffix("/") { base = base.dropLast() }
        return String(base)
    }
}
