extension GoURL {
    /// `reference` resolved against this URL as Go's `URL.ResolveReference` resolves it (RFC 3986
    /// section 5.2), the way Alloy turns a relative `sourceMappingURL` into the map's URL.
    func resolving(_ reference: GoURL) -> GoURL {
        var url = reference
        if reference.scheme.isEmpty { url.scheme = scheme }
        if !reference.scheme.isEmpty || !reference.host.isEmpty || reference.user != nil {
            url.setPath(GoURL.resolvePath(GoURL.escaped(reference.path, raw: reference.rawPath, .path), ""))
            return url
        }
        if !reference.opaque.isEmpty {
            url.user = nil
            url.host = ""
            url.path = ""
            return url
        }
        if reference.path.isEmpty && !reference.forceQuery && reference.rawQuery.isEmpty {
            url.rawQuery = rawQuery
            if reference.fragment.isEmpty {
                url.fragment = fragment
                url.rawFragment = rawFragment
            }
        }
        if reference.path.isEmpty && !opaque.isEmpty {
            url.opaque = opaque
            url.user = nil
            url.host = ""
            url.path = ""
            return url
        }
        url.host = host
        url.user = user
        url.setPath(
            GoURL.resolvePath(
                GoURL.escaped(path, raw: rawPath, .path), GoURL.escaped(reference.path, raw: reference.rawPath, .path)))
        return url
    }

    /// Go's `URL.setPath`: the path from its escaped form.
    private mutating func setPath(_ escaped: String) {
        path = GoURL.unescape(Array(escaped.utf8)[...], .path) ?? escaped
        rawPath = escaped
    }

    /// Go's `resolvePath`: `reference` merged with `base` and its dot segments removed.
    private static func resolvePath(_ base: String, _ reference: String) -> String {
        let full: String
        if reference.isEmpty {
            full = base
        } else if !reference.hasPrefix("/") {
            let baseBytes = Array(base.utf8)
            let keep = baseBytes.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
            full = String(decoding: baseBytes[..<keep], as: UTF8.self) + reference
        } else {
            full = reference
        }
        if full.isEmpty { return "" }
        var out: [UInt8] = [UInt8(ascii: "/")]
        var first = true
        let elements = Array(full.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        for element in elements {
            if element.elementsEqual(".".utf8) {
                first = false
            } else if element.elementsEqual("..".utf8) {
                let kept = out.dropFirst()
                out = [UInt8(ascii: "/")]
                if let slash = kept.lastIndex(of: UInt8(ascii: "/")) {
                    out += kept[..<slash]
                } else {
                    first = true
                }
            } else {
                if !first { out.append(UInt8(ascii: "/")) }
                out += element
                first = false
            }
        }
        if let last = elements.last, last.elementsEqual(".".utf8) || last.elementsEqual("..".utf8) {
            out.append(UInt8(ascii: "/"))
        }
        if out.count > 1 && out[1] == UInt8(ascii: "/") { out.removeFirst() }
        return String(decoding: out, as: UTF8.self)
    }
}
