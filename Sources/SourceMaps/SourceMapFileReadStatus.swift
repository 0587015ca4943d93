/// How a `LocalSourceMapStore` fared looking for one map file, named as the `status` label of
/// Alloy's `faro_receiver_sourcemap_file_reads_total`.
public enum SourceMapFileReadStatus: String, Sendable, Hashable, CaseIterable {
    /// The file was read (whether it then parses or not).
    case ok
    /// No file is at the path: the search goes on to the next location.
    case notFound = "not_found"
    /// The file exists but could not be read (or is larger than the limit).
    case error
    /// The path contains `..`, and is refused.
    case invalidPath = "invalid_path"
}
