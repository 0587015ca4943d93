package import CoreMetrics
import TokenBucket

/// How long a push client's requests take: one timer per status code answered, labelled
/// `status_code` (`"0"` when no answer came).
package struct RequestDurationTimers: Sendable {
    private let label: String
    private let dimensions: [(String, String)]
    private let factory: any MetricsFactory

    /// The timers `label`, with `dimensions` besides `status_code`.
    package init(label: String, dimensions: [(String, String)], factory: any MetricsFactory) {
        self.label = label
        self.dimensions = dimensions
        self.factory = factory
    }

    /// Records how long one request took, by the status answered (`0` when none came).
    package func record(_ duration: Duration, statusCode: Int) {
        Timer(label: label, dimensions: dimensions + [("status_code", String(statusCode))], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }
}
