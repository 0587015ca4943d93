/// Runs `operation` until `deadline`: its result, or `nil` when the deadline came first, and then
/// the operation is cancelled (and awaited). For work that its own timeouts leave partly
/// unbounded, as AsyncHTTPClient's request timeout ends when the answer's head arrives and leaves
/// the reading of its body without one.
package func withDeadline<Success: Sendable>(
    _ deadline: ContinuousClock.Instant, _ operation: @escaping @Sendable () async -> Success
) async -> Success? {
    await withTaskGroup(of: Success?.self) { group in
        group.addTask { await operation() }
        group.addTask {
            try? await Task.sleep(until: deadline)
            return nil
        }
        // The first to end wins; cancelling the other ends the operation or the timer.
        defer { group.cancelAll() }
        return await group.next() ?? nil
    }
}
