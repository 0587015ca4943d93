#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// The wall clock, for the times the service stamps on what it sends: Loki entries (as Alloy
/// stamps them on receipt) and remote-write samples.
enum WallClock {
    /// Now, in nanoseconds since 1970.
    static func unixNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
