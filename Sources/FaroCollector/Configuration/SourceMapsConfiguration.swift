public import SourceMaps

/// How the collector finds source maps to rewrite exceptions' stack frames (Alloy's `sourcemaps`
/// block): from local directories, each serving the scripts under one URL prefix, and, when
/// `download` is on, from the scripts' own servers in `downloadFromOrigins`.
///
/// Alloy downloads by default, from any origin (`download = true`, `download_from_origins =
/// ["*"]`). Here downloading is off unless asked for, and then only from the origins listed: a
/// payload names the URLs, so downloading from them lets any browser make the collector fetch
/// addresses of its choosing.
public struct SourceMapsConfiguration: Sendable, Hashable {
    /// Where maps lie (Alloy's `location` blocks): a directory (whose path may hold
    /// `{{ .Release }}`, the payload's app release) and the script URL prefix it serves.
    public var locations: [LocalSourceMapStore.Location] = []
    /// The most maps held in memory, by the local and the download cache each; the least
    /// recently used go first.
    public var cacheCapacity: Int = 1024
    /// Whether maps of scripts without a local map are downloaded (Alloy's `download`).
    public var download = false
    /// The origins scripts and maps may be downloaded from (Alloy's `download_from_origins`;
    /// see `DownloadOrigins`); `download` needs at least one.
    public var downloadFromOrigins: [String] = []
    /// How long one script's download (script and map) may take (Alloy's `download_timeout`).
    public var downloadTimeout: Duration = .seconds(1)
    /// The largest script or map downloaded, in bytes.
    public var downloadMaxBytes: Int = SourceMapDownloader.defaultMaxBytes
    /// How long a cached map may go unused before it is dropped (Alloy's `cache { ttl }`); `nil`,
    /// the default, keeps maps until `cacheCapacity` needs room (Alloy: forever).
    public var cacheTTL: Duration?
    /// How long a failure or absence (a map missing, a download that failed) is remembered before
    /// the script is tried again (Alloy's `cache { error_cleanup_interval }`, after which Alloy
    /// forgets every failure at once; here each is forgotten when it is that old).
    public var errorCleanupInterval: Duration = .seconds(3600)
    /// How often maps unused for `cacheTTL` and failures older than `errorCleanupInterval` are
    /// swept out (Alloy's `cache { cleanup_check_interval }`).
    public var cleanupCheckInterval: Duration = .seconds(30)

    /// No locations, no downloads: frames stay as sent.
    public init() {}
}
