public import OTLPCodec

extension OTLPSignal {
    /// The OTLP/HTTP path of the signal, appended to the endpoint: `/v1/traces`, `/v1/logs` or
    /// `/v1/metrics`, as the OTLP specification defines them.
    public var otlpHTTPPath: String {
        switch self {
        case .traces: "/v1/traces"
        case .logs: "/v1/logs"
        case .metrics: "/v1/metrics"
        }
    }

    /// The signal's name in metric labels: `traces`, `logs` or `metrics`.
    var label: String {
        switch self {
        case .traces: "traces"
        case .logs: "logs"
        case .metrics: "metrics"
        }
    }
}
