public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Killing a child process and waiting for its end without Foundation's `waitUntilExit()`.
///
/// `waitUntilExit()` spins a run loop on the caller's thread. Called on a thread of the concurrency
/// pool (two on this machine), it holds that thread, and two such waits once held both for good:
/// no `Task.sleep` could resume, and the whole test run hung. These poll `isRunning`, which
/// Foundation's own monitor thread updates when the child is reaped.
extension Process {
    /// Sends SIGKILL (and SIGCONT, in case the process is stopped) and waits, at most `timeout`,
    /// for it to end, sleeping the task between polls so that the pool's thread stays free.
    /// Returns whether it ended.
    @discardableResult
    public func kill(within timeout: Duration = .seconds(30)) async -> Bool {
        sendKill()
        return await exit(within: timeout)
    }

    /// Waits, at most `timeout`, for the process to end, sleeping the task between polls so that
    /// the pool's thread stays free. Returns whether it ended.
    public func exit(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return !isRunning
    }

    /// `kill(within:)` for a synchronous caller such as a `deinit`: it sleeps the thread between
    /// polls, for at most `timeout`, which a killed process takes milliseconds of.
    @discardableResult
    public func killBlocking(within timeout: Duration = .seconds(5)) -> Bool {
        sendKill()
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline {
            usleep(2_000)
        }
        return !isRunning
    }

    private func sendKill() {
        guard isRunning else { return }
        Glibc.kill(processIdentifier, SIGKILL)
        Glibc.kill(processIdentifier, SIGCONT)
    }
}
