import Glibc

/// The processor time the calling thread has used, for bounds on work done in tests: unlike a
/// wall clock, it does not count the time the thread waited while the other tests, or the
/// machine, held the cores.
public enum ThreadCPUTime {
    /// The calling thread's processor time so far.
    public static var now: Duration {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    /// The processor time the calling thread used to run `body`.
    public static func measure(_ body: () throws -> Void) rethrows -> Duration {
        let start = now
        try body()
        return now - start
    }
}
