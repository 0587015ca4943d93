import HTTPFieldText
import IntakePolicy
/// The media types each endpoint takes, from `Content-Type` (parameters such as `charset` ignored).
enum BodyMediaType {
    /// The body format of a request to `route` with `contentType`, or 415.
    ///
    /// `/collect` takes `application/json`, and `text/plain`, which `navigator.sendBeacon` sends, or
    /// no type at all (Alloy reads any body as JSON); OTLP/HTTP takes `application/x-protobuf` and
    /// `application/json`, as the OTLP specification requires.
    static func of(_ contentType: String?, route: CollectorRoute) -> Result<IntakeAdmission.BodyFormat, IntakeRejection> {
        let mediaType = contentType.map { Substring($0).withoutParameters() }
        switch route {
        case .otlp(let signal):
            if let mediaType, mediaType.equalsIgnoringASCIICase("application/x-protobuf") { return .success(.otlpProtobuf(signal)) }
            if let mediaType, mediaType.equalsIgnoringASCIICase("application/json") { return .success(.otlpJSON(signal)) }
            return .failure(.unsupportedMediaType("OTLP takes application/x-protobuf or application/json, not \(contentType ?? "none")"))
        default:
            guard let mediaType else { return .success(.faro) }
            if mediaType.isEmpty || mediaType.equalsIgnoringASCIICase("application/json") || mediaType.equalsIgnoringASCIICase("text/plain") {
                return .success(.faro)
            }
            return .failure(.unsupportedMediaType("Faro payloads are application/json, not \(contentType ?? "")"))
        }
    }
}
