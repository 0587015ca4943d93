import HTTPFieldText

/// Which browser origins may post, and the CORS headers that say so, as Alloy's `faro.receiver`
/// answers through `rs/cors`: the allowed headers are `x-api-key`, `content-type` and
/// `x-faro-session-id`, the allowed methods `GET`, `POST` and `HEAD`, and origins match
/// case-insensitively, each pattern with at most one `*` standing for any text.
///
/// Unlike Alloy, which passes a request from an origin it does not allow to its handler (only the
/// browser then refuses to read the answer), faro-collector (`CollectorIntake`) and rum-gateway
/// refuse it with 403 before reading the body. Requests without an `Origin` header are not CORS
/// requests and pass.
public struct CORSPolicy: Sendable, Hashable {
    /// An allowed origin: the text before and after its wildcard, lower case.
    struct OriginPattern: Sendable, Hashable {
        let prefix: String
        /// `nil` for a pattern without wildcard, which `prefix` must equal.
        let suffix: String?

        init(_ pattern: String) {
            let lower = pattern.lowercased()
            if let star = lower.firstIndex(of: "*") {
                prefix = String(lower[..<star])
                suffix = String(lower[lower.index(after: star)...])
            } else {
                prefix = lower
                suffix = nil
            }
        }

        func matches(_ origin: String) -> Bool {
            guard let suffix else { return origin == prefix }
            return origin.utf8.count >= prefix.utf8.count + suffix.utf8.count && origin.hasPrefix(prefix)
                && origin.hasSuffix(suffix)
        }
    }

    /// The request headers a browser may send (Alloy's list, and `Origin`, which `rs/cors` always allows).
    public static let allowedHeaders = ["x-api-key", "content-type", "x-faro-session-id", "origin"]
    /// The methods a browser may use (`rs/cors`'s default).
    public static let allowedMethods = ["GET", "POST", "HEAD"]

    private let patterns: [OriginPattern]
    /// Whether every origin is allowed (`*`); answers then carry `Access-Control-Allow-Origin: *`.
    public let allowsAnyOrigin: Bool

    /// A policy for `allowedOrigins`; empty disables CORS (no headers, every origin passes).
    public init(allowedOrigins: [String]) {
        allowsAnyOrigin = allowedOrigins.contains("*")
        patterns = allowedOrigins.filter { $0 != "*" }.map(OriginPattern.init)
    }

    /// A policy that allows what any of `policies` allows: off if all are off, any origin if
    /// some are off and others on.
    public init(union policies: [CORSPolicy]) {
        let someOff = policies.contains { !$0.isEnabled }
        let someOn = policies.contains { $0.isEnabled }
        allowsAnyOrigin = policies.contains { $0.allowsAnyOrigin } || (someOff && someOn)
        patterns = policies.flatMap(\.patterns)
    }

    /// Whether `origin` can match a browser's `Origin` header (`scheme://host[:port]`, as browsers
    /// serialise it): `*`, or `http://` or `https://`, a hostname or `[IPv6]` and an optional port
    /// other than the scheme's default, and nothing after it (no path, not even `/`, no query,
    /// fragment or userinfo). One `*` may stand for any text in the hostname or for the port
    /// (`https://*.shop.example`, `http://localhost:*`), as `allows(origin:)` matches it. Both
    /// services refuse a configured origin that is not valid: it could never match.
    public static func isValidOrigin(_ origin: String) -> Bool {
        if origin == "*" { return true }
        let lower = origin.asciiLowercased()
        guard lower.utf8.count(where: { $0 == UInt8(ascii: "*") }) <= 1,
            let scheme = ["http://", "https://"].first(where: lower.hasPrefix)
        else { return false }
        let authority = lower.utf8.dropFirst(scheme.utf8.count)
        let hostEnd = authority.lastIndex(of: UInt8(ascii: "]")) ?? authority.startIndex
        let colon = authority[hostEnd...].lastIndex(of: UInt8(ascii: ":"))
        if let colon {
            let port = Substring(authority[authority.index(after: colon)...])
            let isNumber = 1...5 ~= port.utf8.count && port.utf8.allSatisfy(isDigit) && 1...65535 ~= Int(port)!
            guard port == "*" || isNumber, port != (scheme == "http://" ? "80" : "443") else { return false }
        }
        let host = colon.map { authority[..<$0] } ?? authority
        if host.first == UInt8(ascii: "[") {
            let address = host.dropFirst().dropLast()
            return host.last == UInt8(ascii: "]") && !address.isEmpty
                && address.allSatisfy { isDigit($0) || UInt8(ascii: "a")...UInt8(ascii: "f") ~= $0 || ":.".utf8.contains($0) }
        }
        return !host.isEmpty && host.allSatisfy { isDigit($0) || UInt8(ascii: "a")...UInt8(ascii: "z") ~= $0 || "-._*".utf8.contains($0) }
    }

    /// Whether `byte` is an ASCII digit.
    private static func isDigit(_ byte: UInt8) -> Bool { UInt8(ascii: "0")...UInt8(ascii: "9") ~= byte }

    /// What `isValidOrigin` asks of an origin, for messages.
    public static let originRule =
        "http:// or https:// and a host, with an optional port other than the scheme's default and nothing after it "
        + "(no path, not even /), or * alone; one * in it stands for any text"

    /// Whether the policy is on: some origin is listed.
    public var isEnabled: Bool { allowsAnyOrigin || !patterns.isEmpty }

    /// Whether a request from `origin` may be answered (always, when the policy is off).
    public func allows(origin: String) -> Bool {
        guard isEnabled, !allowsAnyOrigin else { return true }
        let lower = origin.lowercased()
        return patterns.contains { $0.matches(lower) }
    }

    /// The headers of an answer to a request from `origin` (nil: not a CORS request). An allowed
    /// origin's answers expose `Retry-After`, which is not a CORS-safelisted response header: without
    /// it, the Faro SDK reads none on a `429` or `503` and backs off by its own default instead.
    public func responseHeaders(origin: String?) -> [HTTPField] {
        guard isEnabled else { return [] }
        var headers = [HTTPField(name: "Vary", value: "Origin")]
        if let origin, allows(origin: origin) {
            headers.append(HTTPField(name: "Access-Control-Allow-Origin", value: allowsAnyOrigin ? "*" : origin))
            headers.append(HTTPField(name: "Access-Control-Expose-Headers", value: "Retry-After"))
        }
        return headers
    }

    /// The headers of the answer (204) to a preflight from `origin` asking for `requestMethod` and
    /// `requestHeaders` (`Access-Control-Request-Method` and `-Headers`). When the preflight is not
    /// allowed, the answer carries only `Vary`, and the browser does not send the request.
    public func preflightHeaders(origin: String?, requestMethod: String?, requestHeaders: String?) -> [HTTPField] {
        guard isEnabled else { return [] }
        var headers = [HTTPField(name: "Vary", value: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")]
        guard let origin, allows(origin: origin), let requestMethod else { return headers }
        let method = requestMethod.uppercased()
        guard CORSPolicy.allowedMethods.contains(method) else { return headers }
        let requested = (requestHeaders ?? "").split(separator: ",").map { $0.trimmingSpaces().lowercased() }.filter { !$0.isEmpty }
        guard requested.allSatisfy(CORSPolicy.allowedHeaders.contains) else { return headers }
        headers.append(HTTPField(name: "Access-Control-Allow-Origin", value: allowsAnyOrigin ? "*" : origin))
        headers.append(HTTPField(name: "Access-Control-Allow-Methods", value: method))
        if !requested.isEmpty {
            headers.append(HTTPField(name: "Access-Control-Allow-Headers", value: requested.joined(separator: ", ")))
        }
        return headers
    }
}
