/// Hears what source-map stores do that is worth counting (Alloy's source-map metrics): files
/// read, and maps cached and dropped.
///
/// Stores call it only when they do such work, never on a cache hit; calls may come from any
/// thread, never while a store holds its lock, and must return quickly.
public protocol SourceMapStoreObserver: Sendable {
    /// A `LocalSourceMapStore` looked for the map file of `scriptURL` in one location.
    func mapFileRead(forScript scriptURL: String, status: SourceMapFileReadStatus)

    /// A cache began (`change` 1) or stopped (`change` -1) holding a map for `scriptURL`:
    /// absences and failures it remembers do not count.
    func cachedMapCountChanged(forScript scriptURL: String, by change: Int)
}
