/// The origin of an `http` or `https` URL: scheme, host and port, compared as browsers compare
/// origins (scheme and host without regard to case, the port with the scheme's default filled in).
///
/// Only plain URLs have one: the authority (between `//` and the first `/`, `?` or `#`) must be a
/// host of letters, digits, `-`, `.` and `_`, or a bracketed IPv6 address, with an optional port,
/// and nothing else (no user information, no escapes), and the whole URL must parse as Go parses
/// URLs. So no URL parser reads another host into it than the one checked.
public struct SourceOrigin: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public let scheme: String
    /// The host, lowercased; an IPv6 address in brackets.
    public let host: String
    /// The port, the scheme's default when the URL gives none.
    public let port: Int

    /// The origin of `url`, or `nil` when it is no plain `http` or `https` URL.
    public init?(url: String) {
        let bytes = Array(url.utf8)
        let defaultPort: Int
        let rest: ArraySlice<UInt8>
        if Self.hasPrefix(bytes, "http://") {
            (scheme, defaultPort, rest) = ("http", 80, bytes[7...])
        } else if Self.hasPrefix(bytes, "https://") {
            (scheme, defaultPort, rest) = ("https", 443, bytes[8...])
        } else {
            return nil
        }
        let authority = rest.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        var hostPart = authority
        var portPart: ArraySlice<UInt8> = []
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostPart = authority[...close]
            let after = authority[(close + 1)...]
            if let colon = after.first {
                guard colon == UInt8(ascii: ":") else { return nil }
                portPart = after.dropFirst()
            }
            let address = hostPart.dropFirst().dropLast()
            guard !address.isEmpty,
                address.allSatisfy({ GoURL.hexValue($0) != nil || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { return nil }
        } else {
            if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
                hostPart = authority[..<colon]
                portPart = authority[(colon + 1)...]
            }
            guard !hostPart.isEmpty,
                hostPart.allSatisfy({
                    GoURL.isLetter($0) || GoURL.isDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
                        || $0 == UInt8(ascii: "_")
                })
            else { return nil }
        }
        if portPart.isEmpty {
            port = defaultPort
        } else {
            guard portPart.count <= 5, portPart.allSatisfy(GoURL.isDigit),
                let value = Int(String(decoding: portPart, as: UTF8.self)), value <= 65535
            else { return nil }
            port = value
        }
        guard GoURL(url) != nil else { return nil }
        host = String(decoding: hostPart.map { GoURL.isLetter($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// Whether `bytes` starts with the lowercase ASCII `prefix`, in any case.
    private static func hasPrefix(_ bytes: [UInt8], _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        for index in 0..<count {
            let byte = bytes[index]
            if (GoURL.isLetter(byte) ? byte | 0x20 : byte) != prefix.utf8Start[index] { return false }
        }
        return true
    }

    /// `scheme://host:port`, the port always written.
    public var description: String { "\(scheme)://\(host):\(port)" }
}
