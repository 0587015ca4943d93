/// What the collector turns into web-vitals histograms, and how many series it may keep.
///
/// The defaults track the web-vitals that the Faro Web SDK sends as `web-vitals` measurements
/// (`WebVitalHistogram.defaults`: `lcp`, `fcp`, `ttfb`, `inp`, `fid` in seconds, `cls`
/// unitless), with no route patterns (every page is route `other`), at most 1,000 label sets
/// per metric and app and environment names of at most 128 bytes. Alloy's `faro.receiver` has no such metrics, so there is no Alloy default
/// to match.
///
/// ```swift
/// var configuration = WebVitalsConfiguration()
/// configuration.routes = ["/", "/products/:id", "/docs/*"]
/// let histograms = try WebVitalsHistograms(configuration: configuration)
/// ```
public struct WebVitalsConfiguration: Sendable, Hashable {
    /// The default bound on label sets (app, environment, route) per metric: 1,000.
    public static let defaultMaximumSeriesPerMetric = 1_000
    /// The default bound on the bytes (UTF-8) of an `app` or `environment` label value: 128.
    public static let defaultMaximumLabelValueLength = 128

    /// The measurement values observed, each into its own metric; by default `WebVitalHistogram.defaults`.
    public var histograms: [WebVitalHistogram]
    /// The route patterns, tried in order against the path of `meta.page.url`: the first that
    /// matches gives the `route` label. A page that none matches is route `other`, a payload
    /// without a page URL is route `unknown`. Empty by default.
    public var routes: [PageRoutePattern]
    /// The most label sets (app, environment, route) one metric keeps for each tenant (or in all,
    /// without tenants); 1,000 by default. An observation that would need one more goes to route
    /// `other` of its app and environment when that series exists, and is dropped (and counted)
    /// otherwise.
    public var maximumSeriesPerMetric: Int
    /// The most bytes (UTF-8) of `meta.app.name` and `meta.app.environment` taken as label
    /// values; 128 by default. The values of a payload with a longer one are rejected (and
    /// counted), so that a client cannot make the series, and every scrape, as large as it likes.
    public var maximumLabelValueLength: Int

    /// Creates a configuration; every parameter has the documented default.
    public init(
        histograms: [WebVitalHistogram] = WebVitalHistogram.defaults,
        routes: [PageRoutePattern] = [],
        maximumSeriesPerMetric: Int = WebVitalsConfiguration.defaultMaximumSeriesPerMetric,
        maximumLabelValueLength: Int = WebVitalsConfiguration.defaultMaximumLabelValueLength
    ) {
        self.histograms = histograms
        self.routes = routes
        self.maximumSeriesPerMetric = maximumSeriesPerMetric
        self.maximumLabelValueLength = maximumLabelValueLength
    }
}
