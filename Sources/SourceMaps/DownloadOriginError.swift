/// Why an entry of `download_from_origins` cannot be used.
public enum DownloadOriginError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The entry is neither `*` nor an `http` or `https` origin without path, query or user
    /// information (optionally with `*.` before the host).
    case invalid(String)

    /// A short reason.
    public var description: String {
        switch self {
        case .invalid(let entry):
            "\(entry) is not an origin: expected *, or scheme://host[:port] (http or https, host optionally *.domain) without a path"
        }
    }
}
