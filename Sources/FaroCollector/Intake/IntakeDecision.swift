public import IntakePolicy
public import OTLPCodec

/// What to do with a request, decided from its head before any of its body is read.
public enum IntakeDecision: Sendable {
    /// Read the body within the admission's bounds, then hand it to the ingestor.
    case readBody(IntakeAdmission)
    /// Answer from the collector's state: readiness, health or metrics.
    case serve(CollectorRoute)
    /// Answer a CORS preflight: 204 with these headers.
    case preflight([HTTPField])
    /// Refuse; the rejection's headers include the CORS headers the browser needs to read it.
    case reject(IntakeRejection)
}

/// A request that passed every check on its head: where its body goes and how it is bounded.
public struct IntakeAdmission: Sendable {
    /// The body's format.
    public enum BodyFormat: Sendable, Hashable {
        /// A Faro payload (JSON).
        case faro
        /// An OTLP request of a signal, protobuf.
        case otlpProtobuf(OTLPSignal)
        /// An OTLP request of a signal, OTLP/JSON.
        case otlpJSON(OTLPSignal)
    }

    /// What the body holds.
    public let format: BodyFormat
    /// The tenant.
    public let tenant: CollectorTenant
    /// The body's content coding.
    public let coding: ContentCoding
    /// The most bytes the body may hold, read and inflated.
    public let bodyLimit: Int
    /// Headers for the answer (CORS).
    public let responseHeaders: [HTTPField]
}
