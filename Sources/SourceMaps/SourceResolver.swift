/// Resolves the entries of `sources` as go-sourcemap's `absSource` does.
struct SourceResolver {
    /// The URL relative sources join to: an absolute `sourceRoot`, or the directory of an absolute
    /// map URL when `sourceRoot` is empty.
    private let root: GoURL?
    /// A relative `sourceRoot`, path-joined to relative sources when there is no root URL.
    private let sourceRoot: String

    /// A resolver for a map with `sourceRoot` (at `sourceRootOffset` in the JSON) loaded for `mapURL`;
    /// fails where go-sourcemap's `Parse` fails to parse either.
    init(sourceRoot: String, sourceRootOffset: Int, mapURL: String) throws(SourceMapError) {
        self.sourceRoot = sourceRoot
        if !sourceRoot.isEmpty {
            guard let url = GoURL(sourceRoot) else { throw .invalidSourceRoot(offset: sourceRootOffset) }
            root = url.isAbsolute ? url : nil
        } else if !mapURL.isEmpty {
            guard var url = GoURL(mapURL) else { throw .invalidMapURL }
            if url.isAbsolute {
                url.path = GoPath.dir(url.path)
                root = url
            } else {
                root = nil
            }
        } else {
            root = nil
        }
    }

    /// `source` resolved.
    func resolve(_ source: String) -> String {
        if source.hasPrefix("/") { return source }
        if let url = GoURL(source), url.isAbsolute { return source }
        if var root {
            root.path = GoPath.join([root.path, source])
            return root.string
        }
        if !sourceRoot.isEmpty { return GoPath.join([sourceRoot, source]) }
        return source
    }
}
