/// A URL split as Go's `net/url.Parse` splits it, with the checks that make `Parse` fail, and
/// written back as `URL.String` writes it: the part of Go's `net/url` that go-sourcemap uses to
/// resolve `sources` against `sourceRoot` or the map's URL.
///
/// The userinfo and host are kept as Go unescapes them and escaped again on output; IPv6 zones
/// get no special treatment beyond the bracket and port checks.
struct GoURL {
    /// The scheme, lowercased; empty for a relative reference.
    var scheme = ""
    /// The opaque part of `scheme:opaque` (no slash after the colon).
    var opaque = ""
    /// The user name and password, unescaped, when an `@` was in the authority.
    var user: (name: String, password: String?)?
    /// The host and port, unescaped.
    var host = ""
    /// Whether `scheme:/path` had no authority at all.
    var omitHost = false
    /// The path, unescaped.
    var path = ""
    /// The path as written.
    var rawPath = ""
    /// The query as written, without `?`.
    var rawQuery = ""
    /// Whether a `?` with nothing after it ended the URL.
    var forceQuery = false
    /// The fragment, unescaped.
    var fragment = ""
    /// The fragment as written.
    var rawFragment = ""

    /// Whether the URL has a scheme (Go's `URL.IsAbs`).
    var isAbsolute: Bool { !scheme.isEmpty }

    /// Parses `text` as `url.Parse` does, or returns `nil` where it returns an error.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        var rest = bytes[...]
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) {
            let raw = rest[(hash + 1)...]
            guard let fragment = GoURL.unescape(raw, .fragment) else { return nil }
            self.fragment = fragment
            rawFragment = String(decoding: raw, as: UTF8.self)
            rest = rest[..<hash]
        }
        // Control bytes are refused before the fragment only, as Go refuses them.
        if rest.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return nil }
        // getScheme
        for index in rest.indices {
            let byte = rest[index]
            if GoURL.isLetter(byte) { continue }
            if GoURL.isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") {
                if index == rest.startIndex { break }
                continue
            }
            if byte == UInt8(ascii: ":") {
                if index == rest.startIndex { return nil }  // missing protocol scheme
                scheme = String(decoding: rest[..<index], as: UTF8.self).lowercased()
                rest = rest[(index + 1)...]
            }
            break
        }
        if rest.last == UInt8(ascii: "?") && rest.count(where: { $0 == UInt8(ascii: "?") }) == 1 {
            forceQuery = true
            rest = rest.dropLast()
        } else if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
            rawQuery = String(decoding: rest[(question + 1)...], as: UTF8.self)
            rest = rest[..<question]
        }
        let slash = UInt8(ascii: "/")
        if rest.first != slash {
            if !scheme.isEmpty {
                opaque = String(decoding: rest, as: UTF8.self)
                return
            }
            let segment = rest.prefix { $0 != slash }
            if segment.contains(UInt8(ascii: ":")) { return nil }  // first path segment cannot contain colon
        }
        let startsWithTwoSlashes = rest.count >= 2 && rest[rest.startIndex] == slash && rest[rest.startIndex + 1] == slash
        let startsWithThreeSlashes = startsWithTwoSlashes && rest.count >= 3 && rest[rest.startIndex + 2] == slash
        if (!scheme.isEmpty || !startsWithThreeSlashes) && startsWithTwoSlashes {
            var authority = rest.dropFirst(2)
            rest = authority[authority.endIndex...]
            if let end = authority.firstIndex(of: slash) {
                rest = authority[end...]
                authority = authority[..<end]
            }
            guard parseAuthority(authority) else { return nil }
        } else if !scheme.isEmpty && rest.first == slash {
            omitHost = true
        }
        guard let path = GoURL.unescape(rest, .path) else { return nil }
        self.path = path
        rawPath = String(decoding: rest, as: UTF8.self)
    }

    /// Splits the authority into userinfo and host, with Go's checks.
    private mutating func parseAuthority(_ authority: ArraySlice<UInt8>) -> Bool {
        let at = authority.lastIndex(of: UInt8(ascii: "@"))
        let hostPart = at.map { authority[($0 + 1)...] } ?? authority
        guard let host = GoURL.parseHost(hostPart) else { return false }
        self.host = host
        guard let at else { return true }
        let userinfo = authority[..<at]
        for byte in userinfo where !GoURL.isUserinfoByte(byte) { return false }
        if let colon = userinfo.firstIndex(of: UInt8(ascii: ":")) {
            guard let name = GoURL.unescape(userinfo[..<colon], .userPassword),
                let password = GoURL.unescape(userinfo[(colon + 1)...], .userPassword)
            else { return false }
            user = (name, password)
        } else {
            guard let name = GoURL.unescape(userinfo, .userPassword) else { return false }
            user = (name, nil)
        }
        return true
    }

    /// Go's `parseHost`: a bracketed IPv6 literal or a name, with an optional numeric port.
    private static func parseHost(_ host: ArraySlice<UInt8>) -> String? {
        if host.first == UInt8(ascii: "[") {
            guard let close = host.lastIndex(of: UInt8(ascii: "]")) else { return nil }
            guard validOptionalPort(host[(close + 1)...]) else { return nil }
        } else if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
            guard validOptionalPort(host[colon...]) else { return nil }
        }
        return unescape(host, .host)
    }

    /// Empty, or a colon and digits.
    private static func validOptionalPort(_ port: ArraySlice<UInt8>) -> Bool {
        guard let first = port.first else { return true }
        return first == UInt8(ascii: ":") && port.dropFirst().allSatisfy(isDigit)
    }

    /// The URL as Go's `URL.String` writes it.
    var string: String {
        var out = ""
        if !scheme.isEmpty { out += scheme + ":" }
        if !opaque.isEmpty {
            out += opaque
        } else {
            if !scheme.isEmpty || !host.isEmpty || user != nil {
                if !(omitHost && host.isEmpty && user == nil) {
                    if !host.isEmpty || !path.isEmpty || user != nil { out += "//" }
                    if let user {
                        out += GoURL.escape(user.name, .userPassword)
                        if let password = user.password { out += ":" + GoURL.escape(password, .userPassword) }
                        out += "@"
                    }
                    if !host.isEmpty { out += GoURL.escape(host, .host) }
                }
            }
            let escapedPath = GoURL.escaped(path, raw: rawPath, .path)
            if !escapedPath.isEmpty && !escapedPath.hasPrefix("/") && !host.isEmpty { out += "/" }
            if out.isEmpty, escapedPath.utf8.prefix(while: { $0 != UInt8(ascii: "/") }).contains(UInt8(ascii: ":")) {
                out += "./"
            }
            out += escapedPath
        }
        if forceQuery || !rawQuery.isEmpty { out += "?" + rawQuery }
        if !fragment.isEmpty { out += "#" + GoURL.escaped(fragment, raw: rawFragment, .fragment) }
        return out
    }

    // MARK: Escaping

    /// The parts of a URL, which escape different bytes.
    enum Component { case path, fragment, host, userPassword }

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Go's `shouldEscape`.
    static func shouldEscape(_ byte: UInt8, _ component: Component) -> Bool {
        if isLetter(byte) || isDigit(byte) { return false }
        if component == .host {
            switch byte {
            case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
                UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
                UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "<"),
                UInt8(ascii: ">"), UInt8(ascii: "\""):
                return false
            default: break
            }
        }
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return false
        case UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: "/"),
            UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "@"):
            switch component {
            case .path: return byte == UInt8(ascii: "?")
            case .userPassword:
                return byte == UInt8(ascii: "@") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?")
                    || byte == UInt8(ascii: ":")
            case .fragment: return false
            case .host: return true
            }
        default:
            break
        }
        if component == .fragment {
            switch byte {
            case UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"): return false
            default: break
            }
        }
        return true
    }

    /// The userinfo bytes that Go's `validUserinfo` allows.
    static func isUserinfoByte(_ byte: UInt8) -> Bool {
        if isLetter(byte) || isDigit(byte) { return true }
        return "-._:~!$&'()*+,;=%@".utf8.contains(byte)
    }

    /// The value of a hex digit, or `nil`.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        if isDigit(byte) { return byte - UInt8(ascii: "0") }
        let lower = byte | 0x20
        if lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f") { return lower - UInt8(ascii: "a") + 10 }
        return nil
    }

    /// Go's `unescape`: `%XX` decoded; `nil` for a malformed escape, or a byte a host cannot hold.
    static func unescape(_ bytes: ArraySlice<UInt8>, _ component: Component) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else { return nil }
                if component == .host && high < 8 && !(high == 2 && low == 5) { return nil }
                out.append(high << 4 | low)
                index += 3
            } else {
                if component == .host && byte < 0x80 && shouldEscape(byte, .host) { return nil }
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `escape`: each byte that `shouldEscape` marks as `%XX`, upper-case.
    static func escape(_ text: String, _ component: Component) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            if shouldEscape(byte, component) {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `EscapedPath` and `EscapedFragment`: the text as written when that is a valid encoding
    /// of `text`, otherwise `text` escaped.
    static func escaped(_ text: String, raw: String, _ component: Component) -> String {
        if !raw.isEmpty, validEncoded(raw, component), unescape(Array(raw.utf8)[...], component) == text {
            return raw
        }
        if component == .path && text == "*" { return "*" }
        return escape(text, component)
    }

    /// Go's `validEncoded`.
    static func validEncoded(_ text: String, _ component: Component) -> Bool {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
                UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
                UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "]"),
                UInt8(ascii: "%"):
                continue
            default:
                if shouldEscape(byte, component) { return false }
            }
        }
        return true
    }
}
