import FaroModel
import ProtobufWire

/// The body of an OTLP/HTTP answer with a 4xx or 5xx status: a `google.rpc.Status` with a gRPC
/// code and the reason, in the request's encoding (protobuf, or JSON for `application/json`
/// requests), as the OTLP specification asks of every failure, so that an exporter can log why.
public enum OTLPFailureBody {
    /// The gRPC code of an HTTP status, as the OpenTelemetry Collector's receivers pair them:
    /// `INVALID_ARGUMENT` (3) for 400, 413 and 415, `UNAUTHENTICATED` (16) for 401,
    /// `PERMISSION_DENIED` (7) for 403, `NOT_FOUND` (5) for 404, `UNIMPLEMENTED` (12) for 405,
    /// `RESOURCE_EXHAUSTED` (8) for 429, `UNAVAILABLE` (14) for 502, 503 and 504, else `UNKNOWN` (2).
    public static func code(httpStatus: Int) -> Int {
        switch httpStatus {
        case 400, 413, 415, 417, 431: 3
        case 401: 16
        case 403: 7
        case 404: 5
        case 405: 12
        case 429: 8
        case 502, 503, 504: 14
        default: 2
        }
    }

    /// The `Content-Type` and bytes of the `Status` for an answer `httpStatus` with `message`.
    public static func encode(httpStatus: Int, message: String, json: Bool) -> (contentType: String, body: [UInt8]) {
        let code = code(httpStatus: httpStatus)
        if json {
            var body = ContiguousArray("{\"code\":\(code),\"message\":".utf8)
            var text = message
            text.withUTF8 { GoJSONString.append(UnsafeRawBufferPointer($0), to: &body) }
            body.append(UInt8(ascii: "}"))
            return ("application/json", Array(body))
        }
        var writer = ProtobufWriter()
        writer.writeInt32(field: 1, Int32(code))
        writer.writeBytes(field: 2, message.utf8)
        return ("application/x-protobuf", Array(writer.bytes))
    }
}
