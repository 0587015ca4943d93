/// Path prefixes matched on whole segments: `/shop` matches `/shop`, `/shop/collect` and
/// `/shop?x`, not `/shopping`.
enum PathPrefix {
    /// Whether `prefix` is a valid prefix: `/` followed by segments, without a trailing `/`
    /// (except `/` itself), `?` or `#`.
    static func isValid(_ prefix: String) -> Bool {
        prefix.hasPrefix("/") && (prefix == "/" || !prefix.hasSuffix("/")) && !prefix.contains("?") && !prefix.contains("#")
            && !prefix.contains("//")
    }

    /// Whether `path` is under `prefix`.
    static func matches(_ prefix: String, _ path: some StringProtocol) -> Bool {
        if prefix == "/" { return path.hasPrefix("/") }
        guard path.hasPrefix(prefix) else { return false }
        let next = path.utf8.dropFirst(prefix.utf8.count).first
        return next == nil || next == UInt8(ascii: "/") || next == UInt8(ascii: "?")
    }

    /// `path` without `prefix` (which it is under): `/shop/collect` → `/collect`, `/shop` → `/`,
    /// `/shop?x` → `/?x`.
    static func removing(_ prefix: String, from path: Substring) -> Substring {
        if prefix == "/" { return path }
        let rest = path.utf8.dropFirst(prefix.utf8.count)
        if rest.first == UInt8(ascii: "/") { return Substring(rest) }
        return Substring("/" + Substring(rest))
    }
}
