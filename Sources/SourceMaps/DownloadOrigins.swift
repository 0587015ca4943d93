/// The origins whose scripts and source maps the collector may download (Alloy's
/// `download_from_origins`).
///
/// Each entry is `*` (any `http` or `https` origin, Alloy's default), an origin
/// (`https://app.example.com`, `http://127.0.0.1:8080`; a trailing `/` is allowed), or an origin
/// whose host starts with `*.` (`https://*.example.com`: every subdomain, not the domain itself).
/// Alloy matches each entry as a prefix of the URL with `*` and `?` wildcards, so that
/// `https://app.example.com` also admits `https://app.example.com.attacker.net`; here an entry
/// names whole origins, compared by scheme, host and port.
public struct DownloadOrigins: Sendable, Hashable {
    /// One allowed entry.
    private enum Entry: Sendable, Hashable {
        case any
        case origin(SourceOrigin)
        case subdomains(scheme: String, suffix: String, port: Int)
    }

    private let entries: [Entry]

    /// The origins of `entries`; fails at the first entry that is none of the accepted forms.
    public init(_ entries: [String]) throws(DownloadOriginError) {
        var parsed: [Entry] = []
        for text in entries {
            parsed.append(try Self.entry(text))
        }
        self.entries = parsed
    }

    /// Whether nothing is allowed.
    public var isEmpty: Bool { entries.isEmpty }

    /// Whether `url` is a plain `http` or `https` URL (see `SourceOrigin`) of an allowed origin.
    public func allows(_ url: String) -> Bool {
        guard !entries.isEmpty, let origin = SourceOrigin(url: url) else { return false }
        return allows(origin)
    }

    /// Whether `origin` is allowed.
    public func allows(_ origin: SourceOrigin) -> Bool {
        for entry in entries {
            switch entry {
            case .any: return true
            case .origin(let allowed): if allowed == origin { return true }
            case .subdomains(let scheme, let suffix, let port):
                if origin.scheme == scheme && origin.port == port && origin.host.utf8.count > suffix.utf8.count
                    && origin.host.hasSuffix(suffix)
                {
                    return true
                }
            }
        }
        return false
    }

    /// One entry parsed.
    private static func entry(_ text: String) throws(DownloadOriginError) -> Entry {
        if text == "*" { return .any }
        var bytes = Array(text.utf8)
        if bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let separator = firstIndex(of: Array("://".utf8), in: bytes) else { throw .invalid(text) }
        let hostStart = separator + 3
        let subdomains = bytes[hostStart...].starts(with: "*.".utf8)
        // `*` stands in for one label while the rest is checked as an origin.
        if subdomains { bytes[hostStart] = UInt8(ascii: "x") }
        guard !bytes[hostStart...].contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }),
            let origin = SourceOrigin(url: String(decoding: bytes, as: UTF8.self))
        else { throw .invalid(text) }
        guard subdomains else { return .origin(origin) }
        return .subdomains(scheme: origin.scheme, suffix: String(origin.host.dropFirst()), port: origin.port)
    }

    /// Where `needle` first occurs in `bytes`.
    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
