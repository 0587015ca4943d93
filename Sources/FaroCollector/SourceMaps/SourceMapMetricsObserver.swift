import SourceMaps

/// Counts what the source-map stores report in the collector's metrics, labelled with the
/// script's origin as Alloy labels them.
struct SourceMapMetricsObserver: SourceMapStoreObserver {
    /// Where the counts go.
    let metrics: CollectorMetrics

    /// Counts a file looked for (`faro_receiver_sourcemap_file_reads_total`).
    func mapFileRead(forScript scriptURL: String, status: SourceMapFileReadStatus) {
        metrics.sourceMapFileRead(origin: MetricOrigin.of(scriptURL), status: status)
    }

    /// Moves the cache size gauge (`faro_receiver_sourcemap_cache_size`).
    func cachedMapCountChanged(forScript scriptURL: String, by change: Int) {
        metrics.sourceMapCacheSize(origin: MetricOrigin.of(scriptURL), change: change)
    }
}
