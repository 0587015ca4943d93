import HTTPFieldText

/// The fields of an HTTP/1.1 message that end at the gateway, on requests and answers alike
/// (RFC 9110 section 7.6.1), besides those a message's `Connection` names.
public enum HopByHopField {
    /// Whether `name` is `Connection`, `Keep-Alive`, `Proxy-Connection`, `TE`, `Trailer`,
    /// `Upgrade`, `Proxy-Authenticate` or `Proxy-Authorization`, in any case.
    public static func contains(_ name: String) -> Bool {
        switch name.utf8.count {
        case 2: name.equalsIgnoringASCIICase("te")
        case 7: name.equalsIgnoringASCIICase("trailer") || name.equalsIgnoringASCIICase("upgrade")
        case 10: name.equalsIgnoringASCIICase("connection") || name.equalsIgnoringASCIICase("keep-alive")
        case 16: name.equalsIgnoringASCIICase("proxy-connection")
        case 18: name.equalsIgnoringASCIICase("proxy-authenticate")
        case 19: name.equalsIgnoringASCIICase("proxy-authorization")
        default: false
        }
    }

    /// The options of a `Connection` field's `value` that name other fields, lowercased: without
    /// `keep-alive` and `close`, and without the framing fields (`Content-Length`,
    /// `Transfer-Encoding`), which the gateway keeps or writes itself whatever a peer names.
    public static func connectionOptions(_ value: String) -> [String] {
        var options: [String] = []
        for option in value.split(separator: ",") {
            let token = option.trimmingSpaces()
            guard !token.isEmpty, !token.equalsIgnoringASCIICase("keep-alive"), !token.equalsIgnoringASCIICase("close"),
                !token.equalsIgnoringASCIICase("content-length"), !token.equalsIgnoringASCIICase("transfer-encoding")
            else { continue }
            options.append(token.asciiLowercased())
        }
        return options
    }
}
