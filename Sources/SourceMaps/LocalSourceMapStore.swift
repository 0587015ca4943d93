/// Source maps in local directories, found as Alloy's `sourcemaps { location { path,
/// minified_path_prefix } }` finds them.
///
/// For a script URL that starts with a location's `minifiedPathPrefix` and does not end with
/// `/`: the URL's part before any `?`, with the prefix removed, is split at `/`; its non-empty
/// elements other than `.` and `..` are path-joined (Go's `filepath.Join`, which cleans) to the
/// location's `path` rendered for the release, and `.map` appended. A path containing `..` is an
/// error. A file that does not exist sends the search on to the next location; a file that
/// exists but cannot be read or parsed is an error. The release has `\` and `/` removed and
/// leading dots trimmed before it fills `{{ .Release }}`. Locations whose path starts with
/// `http://` or `https://` are remote locations, which Alloy downloads from: this store skips them.
///
/// The map is parsed with the script's URL as its URL, as Alloy does. This store does not
/// cache; put a `CachingSourceMapStore` in front of it. Each file looked for is reported to the
/// observer, as Alloy counts it in `faro_receiver_sourcemap_file_reads_total`: `invalidPath` for
/// a path with `..`, `notFound` for each location without the file, then `ok` or `error` (a file
/// larger than `maxBytes` is not read: `error`).
public struct LocalSourceMapStore: SourceMapStore {
    /// One `location` block.
    public struct Location: Sendable, Hashable {
        /// The directory, which may contain `{{ .Release }}`.
        public var path: String
        /// The URL prefix of the scripts whose maps are there.
        public var minifiedPathPrefix: String

        /// Creates a location.
        public init(path: String, minifiedPathPrefix: String) {
            self.path = path
            self.minifiedPathPrefix = minifiedPathPrefix
        }
    }

    /// The locations, searched in order.
    public let locations: [Location]
    /// The largest map file read, in bytes.
    public let maxBytes: Int
    /// What hears of each file looked for.
    public let observer: (any SourceMapStoreObserver)?
    /// Each location's parsed path template.
    private let templates: [PathTemplate]

    /// A store over `locations`, reporting file reads to `observer`; fails when a path holds a
    /// template action other than `{{ .Release }}`.
    public init(
        locations: [Location], maxBytes: Int = SourceMap.defaultMaxBytes, observer: (any SourceMapStoreObserver)? = nil
    ) throws(SourceMapLocationError) {
        self.locations = locations
        self.maxBytes = maxBytes
        self.observer = observer
        var templates: [PathTemplate] = []
        for location in locations { templates.append(try PathTemplate(location.path)) }
        self.templates = templates
    }

    /// The map file path for `scriptURL` in `location` (with its template), or `nil` when the
    /// location does not cover the URL.
    func mapFilePath(forScript scriptURL: String, release: String, location: Int) -> String? {
        let url = Array(scriptURL.utf8)
        let prefix = Array(locations[location].minifiedPathPrefix.utf8)
        guard !url.isEmpty, url.starts(with: prefix), url.last != UInt8(ascii: "/") else { return nil }
        let root = templates[location].render(release: LocalSourceMapStore.cleanFilePathPart(release))
        var relative = url.prefix { $0 != UInt8(ascii: "?") }
        if relative.starts(with: prefix) { relative = relative.dropFirst(prefix.count) }
        var parts = [root]
        for part in relative.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        where !part.elementsEqual(".".utf8) && !part.elementsEqual("..".utf8) {
            parts.append(String(decoding: part, as: UTF8.self))
        }
        return GoPath.join(parts) + ".map"
    }

    /// Alloy's `cleanFilePathPart`: `\` and `/` removed, then leading dots.
    static func cleanFilePathPart(_ release: String) -> String {
        let kept = release.utf8.filter { $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "/") }
        return String(decoding: kept.drop { $0 == UInt8(ascii: ".") }, as: UTF8.self)
    }

    /// Whether `path` contains `..` anywhere (Alloy's `ValidateFilePath`).
    static func hasDotDot(_ path: String) -> Bool {
        var previousWasDot = false
        for byte in path.utf8 {
            let isDot = byte == UInt8(ascii: ".")
            if isDot && previousWasDot { return true }
            previousWasDot = isDot
        }
        return false
    }

    /// The map of `scriptURL` from the first location that has a file for it.
    public func sourceMap(forScript scriptURL: String, release: String) throws(SourceMapStoreError) -> SourceMap? {
        for index in locations.indices {
            let path = locations[index].path
            if path.utf8.starts(with: "http://".utf8) || path.utf8.starts(with: "https://".utf8) { continue }
            guard let file = mapFilePath(forScript: scriptURL, release: release, location: index) else { continue }
            if LocalSourceMapStore.hasDotDot(file) {
                observer?.mapFileRead(forScript: scriptURL, status: .invalidPath)
                throw .invalidPath(file)
            }
            guard FileReading.exists(file) else {
                observer?.mapFileRead(forScript: scriptURL, status: .notFound)
                continue
            }
            switch FileReading.read(file, limit: maxBytes) {
            case .failed(let errno):
                observer?.mapFileRead(forScript: scriptURL, status: .error)
                throw .readFailed(path: file, errno: errno)
            case .tooLarge:
                observer?.mapFileRead(forScript: scriptURL, status: .error)
                throw .invalidMap(url: scriptURL, .tooLarge(limit: maxBytes))
            case .bytes(let bytes):
                observer?.mapFileRead(forScript: scriptURL, status: .ok)
                do {
                    return try SourceMap(json: bytes, url: scriptURL, maxBytes: maxBytes)
                } catch {
                    throw .invalidMap(url: scriptURL, error)
                }
            }
        }
        return nil
    }
}
