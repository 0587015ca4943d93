/// Somewhere source maps come from: a directory of built maps, a download, a cache in front of
/// either. Lookups are synchronous; a store that downloads does so on the caller's thread or
/// serves what it fetched ahead.
public protocol SourceMapStore: Sendable {
    /// The source map of the script at `scriptURL` (a stack frame's `filename`) in `release` (the
    /// app's release from the payload's metadata), or `nil` when this store has none.
    func sourceMap(forScript scriptURL: String, release: String) throws(SourceMapStoreError) -> SourceMap?
}
