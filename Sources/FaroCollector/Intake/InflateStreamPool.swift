import CZlib

/// The zlib inflate streams of the body readers of one event loop: a reader takes one for each
/// compressed body and gives it back when the body is done, so that zlib's memory (about 40 KiB a
/// stream with its window) follows the compressed bodies in flight, not the connections open.
///
/// Not thread-safe: share it only among readers used on the same thread (event loop).
public final class InflateStreamPool {
    /// The most streams kept for reuse; more given back are ended.
    public let maxFree: Int
    private var free: [UnsafeMutablePointer<z_stream>] = []

    /// A pool that keeps up to `maxFree` streams for reuse.
    public init(maxFree: Int = 16) {
        self.maxFree = maxFree
    }

    deinit {
        for stream in free { Self.end(stream) }
    }

    /// The number of streams kept for reuse now.
    public var freeCount: Int { free.count }

    /// A stream ready for a new body with zlib's `windowBits`.
    func take(windowBits: Int32) -> UnsafeMutablePointer<z_stream> {
        if let stream = free.popLast() {
            let status = inflateReset2(stream, windowBits)
            precondition(status == Z_OK, "zlib's inflateReset2 failed (\(status))")
            return stream
        }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib's inflateInit2 failed (\(status)): out of memory")
        return stream
    }

    /// Takes back a stream from `take`, which the caller no longer uses.
    func giveBack(_ stream: UnsafeMutablePointer<z_stream>) {
        if free.count < maxFree {
            free.append(stream)
        } else {
            Self.end(stream)
        }
    }

    private static func end(_ stream: UnsafeMutablePointer<z_stream>) {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }
}
