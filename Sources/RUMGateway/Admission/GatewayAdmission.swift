public import IntakePolicy

/// What the gateway does with a request head, as `GatewayPolicy.admit` decides.
public enum GatewayAdmission: Sendable {
    /// Answer at the edge: a CORS preflight (204) or a refusal, with its reason for the body
    /// (empty for 204); `tenant` is whose, when known, for metrics.
    case answer(IntakeRejection, tenant: Int?)
    /// Send it upstream.
    case forward(ForwardedRequest)
}
