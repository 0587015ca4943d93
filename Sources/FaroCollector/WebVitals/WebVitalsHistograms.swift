public import FaroModel
import Synchronization

/// Prometheus histograms of the web-vitals in Faro payloads, by app, environment and route.
///
/// Each tracked measurement value (`WebVitalsConfiguration.histograms`) feeds one classic
/// histogram; its series are labelled `app` (`meta.app.name`), `environment`
/// (`meta.app.environment`) and `route` (the first route pattern that matches the path of
/// `meta.page.url`, else `other`, or `unknown` without a URL), and `tenant` when `observe` is
/// given the collector's tenant. Read them as text exposition
/// (`appendExposition(to:)`) or as a remote-write request
/// (`appendRemoteWriteRequest(timestampMilliseconds:to:)`).
///
/// `observe(_:)` may be called from any number of threads at once: it takes one lock per
/// payload (none when the payload has no tracked measurement), and allocates nothing for a
/// value whose series exists.
///
/// ```swift
/// let histograms = try WebVitalsHistograms(configuration: WebVitalsConfiguration(routes: ["/products/:id"]))
/// histograms.observe(payload)
/// var page = ContiguousArray<UInt8>()
/// histograms.appendExposition(to: &page)   // GET /metrics
/// ```
public final class WebVitalsHistograms: Sendable {
    /// A tracked value name of a measurement type and the metric it feeds.
    struct TrackedValue: Sendable {
        /// The value's name, such as `lcp`.
        let valueName: String
        /// The index of its metric in `layouts`.
        let metric: Int
    }

    /// The mutable part, behind the lock.
    struct State: Sendable {
        /// The series of each metric, in configuration order.
        var metrics: [HistogramSeriesSet]
        /// See `WebVitalsHistogramStatistics`.
        var recorded: UInt64 = 0
        /// See `WebVitalsHistogramStatistics`.
        var rejected: UInt64 = 0
        /// See `WebVitalsHistogramStatistics`.
        var dropped: UInt64 = 0
    }

    /// The configuration the histograms were made with.
    public let configuration: WebVitalsConfiguration
    /// The metrics' names, bounds and units, in configuration order.
    let layouts: [HistogramLayout]
    /// Each metric's unit divisor, by metric index (read on the hot path without copying a layout).
    let unitDivisors: [Double]
    /// Each metric's bucket bounds, by metric index.
    let bounds: [ContiguousArray<Double>]
    /// For each tracked measurement type, its tracked values.
    let trackedValues: [String: [TrackedValue]]
    /// The route patterns.
    let routes: PageRouteMatcher
    /// The series and counters.
    let state: Mutex<State>

    /// Creates empty histograms for `configuration`, or throws what is wrong with it.
    public init(configuration: WebVitalsConfiguration = WebVitalsConfiguration()) throws(WebVitalsConfigurationError) {
        guard configuration.maximumSeriesPerMetric >= 1 else {
            throw .invalidMaximumSeriesPerMetric(configuration.maximumSeriesPerMetric)
        }
        guard configuration.maximumLabelValueLength >= 1 else {
            throw .invalidMaximumLabelValueLength(configuration.maximumLabelValueLength)
        }
        for route in configuration.routes where !route.isValid {
            throw .invalidRoutePattern(route.pattern)
        }
        var names = Set<String>()
        var tracked: [String: [TrackedValue]] = [:]
        for (index, definition) in configuration.histograms.enumerated() {
            try HistogramLayout.validate(definition)
            guard names.insert(definition.metricName).inserted else { throw .duplicateMetricName(definition.metricName) }
            if tracked[definition.measurementType, default: []].contains(where: { $0.valueName == definition.valueName }) {
                throw .duplicateValue(measurementType: definition.measurementType, valueName: definition.valueName)
            }
            tracked[definition.measurementType, default: []].append(TrackedValue(valueName: definition.valueName, metric: index))
        }
        self.configuration = configuration
        let layouts = configuration.histograms.map(HistogramLayout.init)
        self.layouts = layouts
        self.unitDivisors = layouts.map(\.definition.unitDivisor)
        self.bounds = layouts.map(\.bounds)
        self.trackedValues = tracked
        self.routes = PageRouteMatcher(configuration.routes)
        self.state = Mutex(State(metrics: layouts.map { HistogramSeriesSet(bucketsPerSeries: $0.bucketsPerSeries) }))
    }

    /// Counts the tracked values of `payload`'s measurements into their histograms and returns
    /// how many were counted. Negative and non-finite values, and the values of a payload whose
    /// app or environment is longer than `maximumLabelValueLength`, are rejected, and values
    /// beyond the bound on label sets dropped (see `statistics`); untracked values are ignored.
    /// With `tenant`, the series carry a `tenant` label and the bound applies to each tenant.
    @discardableResult
    public func observe(_ payload: FaroPayload, tenant: String? = nil) -> Int {
        guard payload.measurements.contains(where: { trackedValues[$0.type] != nil }) else { return 0 }
        let app = payload.meta.app.name
        let environment = payload.meta.app.environment
        let labelsTooLong =
            app.utf8.count > configuration.maximumLabelValueLength || environment.utf8.count > configuration.maximumLabelValueLength
        let labels = SeriesLabels(
            app: labelsTooLong ? "" : app, environment: labelsTooLong ? "" : environment,
            route: routes.match(pageURL: payload.meta.page.url), tenant: tenant ?? "")
        let maximum = configuration.maximumSeriesPerMetric
        return state.withLock { state in
            var recorded = 0
            for measurement in payload.measurements {
                guard let tracked = trackedValues[measurement.type] else { continue }
                for element in measurement.values {
                    for value in tracked where value.valueName == element.key {
                        let observed = element.value / unitDivisors[value.metric]
                        guard element.value >= 0, observed.isFinite, !labelsTooLong else {
                            state.rejected &+= 1
                            continue
                        }
                        guard let series = state.metrics[value.metric].seriesIndex(for: labels, maximum: maximum) else {
                            state.dropped &+= 1
                            continue
                        }
                        state.metrics[value.metric].observe(observed, series: series, bounds: bounds[value.metric])
                        recorded &+= 1
                    }
                }
            }
            state.recorded &+= UInt64(recorded)
            return recorded
        }
    }

    /// What the histograms have counted, rejected and dropped so far, and how many series exist.
    public var statistics: WebVitalsHistogramStatistics {
        state.withLock { state in
            WebVitalsHistogramStatistics(
                recordedObservations: state.recorded, rejectedObservations: state.rejected,
                droppedObservations: state.dropped, seriesCount: state.metrics.reduce(0) { $0 + $1.labelSets.count })
        }
    }

    /// A copy of every metric's series, taken under the lock, for writing without it.
    func snapshot() -> [HistogramSeriesSet] {
        state.withLock { state in state.metrics.map { $0.snapshot() } }
    }
}
