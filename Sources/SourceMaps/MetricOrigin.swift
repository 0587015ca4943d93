/// The `origin` label of Alloy's source-map metrics (its `getOrigin`): a URL's scheme and host
/// as Go's `url.Parse` gives them, written `scheme://host` (the host with its port, if any), or
/// `?` for a URL that does not parse. A URL without a scheme or host gives empty parts, as in Go.
public enum MetricOrigin {
    /// The origin label of `url`.
    public static func of(_ url: String) -> String {
        guard let parsed = GoURL(url) else { return "?" }
        return parsed.scheme + "://" + parsed.host
    }
}
