/// The seconds per call of an operation, one figure per round.
public struct Timing: Sendable {
    /// Seconds per call in each round, sorted.
    public let samples: [Double]

    /// Creates a timing from per-round figures.
    public init(samples: [Double]) { self.samples = samples.sorted() }

    /// The median seconds per call.
    public var median: Double { percentile(50) }

    /// The fastest round's seconds per call: the figure that other work on a noisy machine
    /// disturbs least.
    public var fastest: Double { samples[0] }

    /// Half the interquartile range, as a fraction of the median: how noisy the rounds were.
    public var spread: Double { (percentile(75) - percentile(25)) / 2 / median }

    /// The `p`th percentile of the rounds (nearest rank).
    private func percentile(_ p: Int) -> Double {
        samples[min(samples.count - 1, samples.count * p / 100)]
    }
}
