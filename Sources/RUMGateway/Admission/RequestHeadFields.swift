import IntakePolicy

/// The header fields of a request head that the gateway decides on, found in one pass.
struct RequestHeadFields {
    var host: String?
    var apiKey: String?
    var origin: String?
    var contentLength: Int?
    /// `Content-Length` given but not a number, or given twice with different values.
    var invalidLength = false
    var accessControlRequestMethod: String?
    var accessControlRequestHeaders: String?
    /// `Expect: 100-continue` came: the gateway answers `100 Continue` itself once the request is admitted.
    var expectsContinue = false
    /// An `Expect` other than `100-continue` came (417).
    var unknownExpectation = false
    /// Every `X-Forwarded-For` value, in order.
    var forwardedFor: [String] = []
    /// The field names that `Connection` lists, lowercase: hop-by-hop too.
    var connectionOptions: [String] = []

    /// The fields of `headerFields`.
    init(_ headerFields: some Sequence<(name: String, value: String)>) {
        for (name, value) in headerFields {
            switch name.lowercased() {
            case "host": host = value
            case "x-api-key": apiKey = value
            case "origin": origin = value
            case "content-length":
                let length = Int(Substring(value).trimmingSpaces())
                if let length, length >= 0, contentLength == nil || contentLength == length {
                    contentLength = length
                } else {
                    invalidLength = true
                }
            case "access-control-request-method": accessControlRequestMethod = value
            case "access-control-request-headers": accessControlRequestHeaders = value
            case "x-forwarded-for": forwardedFor.append(value)
            case "expect":
                if Substring(value).trimmingSpaces().lowercased() == "100-continue" {
                    expectsContinue = true
                } else {
                    unknownExpectation = true
                }
            case "connection":
                connectionOptions += value.split(separator: ",").map { $0.trimmingSpaces().lowercased() }.filter { !$0.isEmpty }
            default: break
            }
        }
    }

    /// The fields that end at the gateway (RFC 9110 section 7.6.1), those `Connection` names,
    /// `Expect`, which the gateway answers itself, and `X-Forwarded-For`, which it writes again.
    func isHopByHop(_ name: String) -> Bool {
        let lower = name.lowercased()
        switch lower {
        case "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "proxy-authorization",
            "proxy-authenticate", "expect", "x-forwarded-for":
            return true
        case "transfer-encoding", "content-length", "host":
            return false
        default:
            return connectionOptions.contains(lower)
        }
    }
}
