import HTTPFieldText

/// The header fields of a request head that the gateway decides on, found in one pass.
struct RequestHeadFields {
    var host: String?
    var apiKey: String?
    /// `x-api-key` came more than once: the collector reads the first, so the gateway refuses
    /// the request (400) rather than admit it under a key the collector does not take.
    var repeatedAPIKey = false
    var origin: String?
    var contentLength: Int?
    /// `Content-Length` given but not a number, or given twice with different values.
    var invalidLength = false
    /// `Transfer-Encoding` came (NIO's parser takes only a final `chunked`): the body is chunked.
    var chunked = false
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

    /// The fields of `headerFields`, in one pass that compares names by length first, with no
    /// allocation for the common fields.
    init(_ headerFields: [(name: String, value: String)]) {
        for (name, value) in headerFields {
            switch name.utf8.count {
            case 4 where name.equalsIgnoringASCIICase("host"): host = value
            case 6 where name.equalsIgnoringASCIICase("origin"): origin = value
            case 6 where name.equalsIgnoringASCIICase("expect"):
                if value.expectsContinue {
                    expectsContinue = true
                } else {
                    unknownExpectation = true
                }
            case 9 where name.equalsIgnoringASCIICase("x-api-key"):
                repeatedAPIKey = repeatedAPIKey || apiKey != nil
                apiKey = value
            case 10 where name.equalsIgnoringASCIICase("connection"): connectionOptions += HopByHopField.connectionOptions(value)
            case 14 where name.equalsIgnoringASCIICase("content-length"):
                let length = Int(Substring(value).trimmingSpaces())
                if let length, length >= 0, contentLength == nil || contentLength == length {
                    contentLength = length
                } else {
                    invalidLength = true
                }
            case 15 where name.equalsIgnoringASCIICase("x-forwarded-for"): forwardedFor.append(value)
            case 17 where name.equalsIgnoringASCIICase("transfer-encoding"): chunked = true
            case 29 where name.equalsIgnoringASCIICase("access-control-request-method"): accessControlRequestMethod = value
            case 30 where name.equalsIgnoringASCIICase("access-control-request-headers"): accessControlRequestHeaders = value
            default: break
            }
        }
    }

    /// The fields that end at the gateway (RFC 9110 section 7.6.1), those `Connection` names,
    /// `Expect`, which the gateway answers itself, the fields it writes again: the body's
    /// framing (`Content-Length`, `Transfer-Encoding`), so that nothing the client sends, such as
    /// a `Connection` naming them, can leave the upstream request unframed, and `X-Forwarded-For`;
    /// and `Proxy`, which no client has a reason to send and which a CGI-style server behind the
    /// collector would take for its `HTTP_PROXY` (httpoxy, CVE-2016-5385).
    func isHopByHop(_ name: String) -> Bool {
        switch name.utf8.count {
        case 5 where name.equalsIgnoringASCIICase("proxy"): return true
        case 6 where name.equalsIgnoringASCIICase("expect"): return true
        case 14 where name.equalsIgnoringASCIICase("content-length"): return true
        case 15 where name.equalsIgnoringASCIICase("x-forwarded-for"): return true
        case 17 where name.equalsIgnoringASCIICase("transfer-encoding"): return true
        default:
            return HopByHopField.contains(name) || (!connectionOptions.isEmpty && connectionOptions.contains(name.asciiLowercased()))
        }
    }

    /// Whether `name` is one of the fields in which a proxy tells the next hop about the client's
    /// request besides `X-Forwarded-For`: `Forwarded`, `X-Forwarded-Proto`, `X-Forwarded-Host`,
    /// and the client's address as proxies and CDNs write it (`X-Real-IP`, `True-Client-IP`,
    /// `CF-Connecting-IP`, `Fastly-Client-IP`, `X-Client-IP`, `X-Cluster-Client-IP`). Believed,
    /// and so passed on, only from a trusted proxy.
    static func isProxyClaim(_ name: String) -> Bool {
        switch name.utf8.count {
        case 9: name.equalsIgnoringASCIICase("forwarded") || name.equalsIgnoringASCIICase("x-real-ip")
        case 11: name.equalsIgnoringASCIICase("x-client-ip")
        case 14: name.equalsIgnoringASCIICase("true-client-ip")
        case 16:
            name.equalsIgnoringASCIICase("x-forwarded-host") || name.equalsIgnoringASCIICase("cf-connecting-ip")
                || name.equalsIgnoringASCIICase("fastly-client-ip")
        case 17: name.equalsIgnoringASCIICase("x-forwarded-proto")
        case 19: name.equalsIgnoringASCIICase("x-cluster-client-ip")
        default: false
        }
    }
}
