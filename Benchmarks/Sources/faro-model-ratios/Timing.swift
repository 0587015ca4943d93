/// Keeps a value alive and opaque to the optimizer, so that the work producing it is not removed.
@_optimize(none)
func blackHole(_: some Any) {}

/// The seconds per call of an operation, one figure per round.
struct Timing {
    /// Seconds per call in each round, sorted.
    let samples: [Double]

    /// Creates a timing from per-round figures.
    init(samples: [Double]) { self.samples = samples.sorted() }

    /// The median seconds per call.
    var median: Double { percentile(50) }

    /// Half the interquartile range, as a fraction of the median: how noisy the rounds were.
    var spread: Double { (percentile(75) - percentile(25)) / 2 / median }

    /// The `p`th percentile of the rounds (nearest rank).
    private func percentile(_ p: Int) -> Double {
        samples[min(samples.count - 1, samples.count * p / 100)]
    }
}

/// Times operations with the same clock, in the same process, interleaving their rounds so
/// that a slow moment of the machine hits all of them alike.
struct Timer {
    /// How many rounds each operation runs; the reported figure is their median.
    var rounds = 31
    /// How long one round of one operation lasts, roughly.
    var roundDuration: Duration = .milliseconds(40)
    /// How long each operation runs before it is timed, to warm caches, buffers and branch predictors.
    var warmUp: Duration = .milliseconds(250)

    /// Warms each operation up, then runs `rounds` rounds of all of them, one after another.
    /// One call of an operation is one decode or one encode of a payload.
    func measure(_ operations: [() throws -> Void]) throws -> [Timing] {
        var repetitions: [Int] = []
        for operation in operations {
            let perCall = try warmUp(operation)
            repetitions.append(max(1, Int(Timer.seconds(roundDuration) / perCall)))
        }
        var samples = Array(repeating: [Double](), count: operations.count)
        for _ in 0..<rounds {
            for (index, operation) in operations.enumerated() {
                samples[index].append(try Timer.time(operation, repetitions: repetitions[index]))
            }
        }
        return samples.map(Timing.init(samples:))
    }

    /// Runs `operation` for the warm-up time, at least 3 calls; returns the seconds per call.
    private func warmUp(_ operation: () throws -> Void) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var calls = 0
        while calls < 3 || clock.now - start < warmUp {
            try operation()
            calls += 1
        }
        return Timer.seconds(clock.now - start) / Double(calls)
    }

    /// The seconds per call of `repetitions` calls in a row.
    private static func time(_ operation: () throws -> Void, repetitions: Int) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<repetitions { try operation() }
        return seconds(clock.now - start) / Double(repetitions)
    }

    /// A duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
