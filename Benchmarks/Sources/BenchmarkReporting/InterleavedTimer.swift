/// Times operations with the same clock, in the same process, interleaving their rounds so
/// that a slow moment of the machine hits all of them alike.
public struct InterleavedTimer: Sendable {
    /// How many rounds each operation runs; the reported figure is their median.
    public var rounds = 31
    /// How long one round of one operation lasts, roughly.
    public var roundDuration: Duration = .milliseconds(40)
    /// How long each operation runs before it is timed, to warm caches, buffers and branch predictors.
    public var warmUp: Duration = .milliseconds(250)

    /// A timer with the default rounds, round duration and warm-up.
    public init() {}

    /// Warms each operation up, then runs `rounds` rounds of all of them, one after another.
    /// One call of an operation is one decode or one encode of a payload.
    public func measure(_ operations: [() throws -> Void]) throws -> [Timing] {
        var repetitions: [Int] = []
        for operation in operations {
            let perCall = try warmUp(operation)
            repetitions.append(max(1, Int(InterleavedTimer.seconds(roundDuration) / perCall)))
        }
        var samples = Array(repeating: [Double](), count: operations.count)
        for _ in 0..<rounds {
            for (index, operation) in operations.enumerated() {
                samples[index].append(try InterleavedTimer.time(operation, repetitions: repetitions[index]))
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
        return InterleavedTimer.seconds(clock.now - start) / Double(calls)
    }

    /// The seconds per call of `repetitions` calls in a row.
    private static func time(_ operation: () throws -> Void, repetitions: Int) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<repetitions { try operation() }
        return seconds(clock.now - start) / Double(repetitions)
    }

    /// A duration in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
