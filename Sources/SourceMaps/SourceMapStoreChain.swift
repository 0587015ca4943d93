/// Several stores asked in order, as Alloy looks in its local locations before it downloads: the
/// first map found is the answer, and the first failure ends the search (Alloy does not download
/// a map whose local file it could not read).
public struct SourceMapStoreChain: SourceMapStore {
    /// The stores, in order.
    public let stores: [any SourceMapStore]

    /// A chain of `stores`.
    public init(_ stores: [any SourceMapStore]) {
        self.stores = stores
    }

    /// The first store's map for the script, or `nil` when none has one.
    public func sourceMap(forScript scriptURL: String, release: String) throws(SourceMapStoreError) -> SourceMap? {
        for store in stores {
            if let map = try store.sourceMap(forScript: scriptURL, release: release) { return map }
        }
        return nil
    }
}
