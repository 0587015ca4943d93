import HTTPFieldText

/// The request target of an HTTP/1.1 request line (RFC 9112 section 3.2), in the origin form
/// that routes read, with the authority that an absolute-form target carries.
///
/// Clients send the origin form (`/collect?x=1`); a client that talks to a proxy sends the
/// absolute form (`http://rum.example.com/collect?x=1`), which a server must accept too, using
/// its authority instead of the `Host` field (section 3.2.2), as Go's server does for Alloy.
public struct RequestTarget: Sendable, Hashable {
    /// The authority of an absolute-form `http` or `https` target (`host[:port]`, without user
    /// information), or `nil` for any other form.
    public var authority: Substring?
    /// The path and query: the target itself in origin form, an absolute-form target's path and
    /// query (`/` when its path is empty), or the target as sent in any other form.
    public var originForm: Substring

    /// The parts of `target`, as the request line has it.
    public init(_ target: String) {
        let utf8 = target.utf8
        guard let scheme = Self.schemeEnd(of: utf8) else {
            authority = nil
            originForm = target[...]
            return
        }
        let authorityStart = utf8.index(scheme, offsetBy: 3)
        let authorityEnd = utf8[authorityStart...].firstIndex { Self.endsAuthority($0) } ?? utf8.endIndex
        var hostStart = authorityStart
        if let at = utf8[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) { hostStart = utf8.index(after: at) }
        authority = target[hostStart..<authorityEnd]
        if authorityEnd == utf8.endIndex || utf8[authorityEnd] != UInt8(ascii: "/") {
            // An empty path is `/` (RFC 9112 section 3.2.1), before any query.
            originForm = ("/" + target[authorityEnd...])[...]
        } else {
            originForm = target[authorityEnd...]
        }
    }

    /// The index of the `:` after the scheme when `target` begins with `http://` or `https://`
    /// (the scheme in any case, as RFC 3986 section 3.1 compares it).
    private static func schemeEnd(of target: String.UTF8View) -> String.Index? {
        // Origin form, what clients send, begins with `/`: one test.
        guard target.first?.asciiLowercased == UInt8(ascii: "h") else { return nil }
        for scheme: StaticString in ["http", "https"] where target.count > scheme.utf8CodeUnitCount + 3 {
            let end = target.index(target.startIndex, offsetBy: scheme.utf8CodeUnitCount)
            if Substring(target[..<end]).equalsIgnoringASCIICase(scheme), target[end...].starts(with: "://".utf8) { return end }
        }
        return nil
    }

    /// Whether `byte` ends an authority: the first `/`, `?` or `#` after it (RFC 3986 section 3.2).
    private static func endsAuthority(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
    }
}
