/// The media types each endpoint takes, from `Content-Type` (parameters such as `charset` ignored).
enum BodyMediaType {
    /// The body format of a request to `route` with `contentType`, or 415.
    ///
    /// `/collect` takes `application/json`, and `text/plain`, which `navigator.sendBeacon` sends, or
    /// no type at all (Alloy reads any body as JSON); OTLP/HTTP takes `application/x-protobuf` and
    /// `application/json`, as the OTLP specification requires.
    static func of(_ contentType: String?, route: CollectorRoute) -> Result<IntakeAdmission.BodyFormat, IntakeRejection> {
        let mediaType = contentType.map { $0.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces().lowercased() } ?? "" }
        switch route {
        case .otlp(let signal):
            switch mediaType {
            case "application/x-protobuf": return .success(.otlpProtobuf(signal))
            case "application/json": return .success(.otlpJSON(signal))
            default:
                return .failure(.unsupportedMediaType("OTLP takes application/x-protobuf or application/json, not \(contentType ?? "none")"))
            }
        default:
            switch mediaType {
            case nil, "", "application/json", "text/plain": return .success(.faro)
            default: return .failure(.unsupportedMediaType("Faro payloads are application/json, not \(contentType ?? "")"))
            }
        }
    }
}
