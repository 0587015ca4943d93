#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts `malloc` calls with ordo-one's malloc-interposer (the library behind
/// package-benchmark's malloc metrics), found in this process at run time.
///
/// The ratio tools do not link the interposer: its allocation header and bookkeeping would slow
/// every allocation in the timed runs, the peers' most. Instead the timed process starts a
/// second copy of itself with the interposer preloaded
/// (``AllocationCounter/countInChildProcess(argument:)``) and only that copy counts.
public struct AllocationCounter {
    /// The type of `malloc_interposer_reset`, `malloc_interposer_enable` and `malloc_interposer_disable`.
    private typealias Control = @convention(c) () -> Void
    /// The type of `malloc_interposer_get_stats`: malloc count and bytes, small and large
    /// counts, free count and bytes.
    private typealias Statistics =
        @convention(c) (
            UnsafeMutablePointer<Int64>, UnsafeMutablePointer<Int64>, UnsafeMutablePointer<Int64>,
            UnsafeMutablePointer<Int64>, UnsafeMutablePointer<Int64>, UnsafeMutablePointer<Int64>
        ) -> Void

    /// The interposer's functions.
    private let reset, enable, disable: Control
    /// The interposer's counters.
    private let statistics: Statistics

    /// The interposer's functions, if it is loaded in this process and counts allocations.
    public init?() {
        func symbol<F>(_ name: String, as type: F.Type) -> F? {
            #if canImport(Darwin)
            let everyImage = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
            #else
            let everyImage: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
            #endif
            return dlsym(everyImage, name).map { unsafeBitCast($0, to: type) }
        }
        guard let reset = symbol("malloc_interposer_reset", as: Control.self),
            let enable = symbol("malloc_interposer_enable", as: Control.self),
            let disable = symbol("malloc_interposer_disable", as: Control.self),
            let statistics = symbol("malloc_interposer_get_stats", as: Statistics.self)
        else { return nil }
        (self.reset, self.enable, self.disable, self.statistics) = (reset, enable, disable, statistics)
        // A real count or none: an allocation must show.
        guard count(of: { blackHole(ContiguousArray<UInt8>(repeating: 1, count: 4096)) }) >= 1 else { return nil }
    }

    /// The number of `malloc` (and `calloc`, `realloc`, aligned) calls that `body` makes.
    public func count(of body: () throws -> Void) rethrows -> Int {
        reset()
        enable()
        do {
            try body()
        } catch {
            disable()
            throw error
        }
        return stop()
    }

    /// The number of `malloc` (and `calloc`, `realloc`, aligned) calls that the whole process
    /// makes, on every thread, while `body` runs: what `body` makes and what the work it hands to
    /// other threads (or tasks) makes before it returns. `body` runs on the caller's actor.
    public func count(isolation: isolated (any Actor)? = #isolation, of body: () async throws -> Void) async rethrows -> Int {
        reset()
        enable()
        do {
            try await body()
        } catch {
            disable()
            throw error
        }
        return stop()
    }

    /// Stops counting; returns the count.
    private func stop() -> Int {
        disable()
        var counters: (Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0)
        statistics(&counters.0, &counters.1, &counters.2, &counters.3, &counters.4, &counters.5)
        return Int(counters.0)
    }
}
