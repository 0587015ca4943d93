import FaroCollector
import ServiceLifecycle

/// Sweeps the source-map caches of the current pipeline every `sourcemaps.cache.cleanup_check_interval`
/// (Alloy's cleanup loops): maps unused for `ttl` and failures older than `error_cleanup_interval`
/// go. The ingestor and the interval are read again on each round, so that a reloaded
/// configuration is swept by its own rules; stops at graceful shutdown.
struct SourceMapCacheService: Service {
    /// The collector whose current ingestor's caches are swept.
    let application: CollectorApplication

    /// Sweeps every `cleanup_check_interval` until graceful shutdown.
    func run() async {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let interval = application.ingestor.configuration.sourceMaps.cleanupCheckInterval
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            application.ingestor.evictExpiredSourceMaps()
        }
    }
}
