#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// The file system calls of the local store, without Foundation.
enum FileReading {
    /// Whether `stat` succeeds for `path` (Go's `os.Stat`: a directory counts as found).
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// What reading a file gave.
    enum Outcome {
        /// The file's bytes.
        case bytes([UInt8])
        /// The file is larger than the limit.
        case tooLarge
        /// A call failed with this `errno`.
        case failed(Int32)
    }

    /// The contents of `path`, if at most `limit` bytes long.
    static func read(_ path: String, limit: Int) -> Outcome {
        var descriptor: Int32
        repeat {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else { return .failed(errno) }
        defer { _ = close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failed(errno) }
        // Go's `os.ReadFile` opens a directory and fails to read it.
        if status.st_mode & S_IFMT == S_IFDIR { return .failed(EISDIR) }
        let size = Int(status.st_size)
        guard size <= limit else { return .tooLarge }
        // Read one byte more than the size said, to notice a file that grew past the limit.
        let capacity = size + 1
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            initialized = 0
            while initialized < capacity {
                let count = systemRead(descriptor, buffer.baseAddress! + initialized, capacity - initialized)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if count == 0 { return }
                initialized += count
            }
        }
        if failure != 0 { return .failed(failure) }
        if bytes.count > limit { return .tooLarge }
        return .bytes(bytes)
    }
}

/// `read(2)`, under a name that the enum's own `read` does not shadow.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
