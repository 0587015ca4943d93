public import SourceMaps

/// How the collector finds source maps to rewrite exceptions' stack frames (Alloy's `sourcemaps`
/// block): from local directories, each serving the scripts under one URL prefix.
///
/// Alloy also downloads maps from the scripts' own servers by default (`download = true` from
/// any origin). The collector does not download: a payload names the URLs, so downloading from
/// them lets any browser make the collector fetch arbitrary addresses. Deploy the maps beside
/// the collector and list their directories here.
public struct SourceMapsConfiguration: Sendable, Hashable {
    /// Where maps lie (Alloy's `location` blocks): a directory (whose path may hold
    /// `{{ .Release }}`, the payload's app release) and the script URL prefix it serves.
    public var locations: [LocalSourceMapStore.Location] = []
    /// The most maps held in memory; the least recently used go first.
    public var cacheCapacity: Int = 1024

    /// No locations: frames stay as sent.
    public init() {}
}
