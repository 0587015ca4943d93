/// Polls `condition`, `interval` apart, until it holds; returns whether it did. It gives up only
/// once it has polled `polls` times and `time` has passed: a clock alone runs out while the work
/// waited for is held up as the test is (CPU-bound tests holding the concurrency pool's threads
/// keep this process's tasks waiting, this loop's too), a count alone on a machine that wakes the
/// test late while a service of its own runs on.
public func eventually(
    polls: Int = 100, every interval: Duration = .milliseconds(50), atLeast time: Duration = .seconds(30),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + time
    var polled = 0
    while true {
        if try await condition() { return true }
        polled += 1
        if polled >= polls, ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: interval)
    }
}
