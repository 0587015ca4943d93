#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization

/// Appends records to files in a directory from a background loop, so that the threads that
/// serve requests only copy bytes into memory.
///
/// Records wait in memory (at most `maximumPendingBytes`, beyond which `append` throws `full`)
/// until `run()` writes them, every `interval`, in the order they came. Each file is opened once
/// with `O_APPEND` and created if needed.
final class AppendingFileWriter: Sendable {
    /// The bytes waiting for each file, by file name, and their total.
    private struct Pending {
        var files: [String: ContiguousArray<UInt8>] = [:]
        var bytes = 0
        var closed = false
    }

    /// The directory of the files.
    let directory: String
    private let maximumPendingBytes: Int
    private let interval: Duration
    private let pending = Mutex(Pending())
    /// The open files by name; touched only by the loop that writes.
    private let descriptors = Mutex<[String: Int32]>([:])
    /// Where failed writes are reported.
    private let logger: Logger

    /// A writer into `directory`, which is created if missing.
    init(
        directory: String, maximumPendingBytes: Int = 64 << 20, interval: Duration = .milliseconds(100), logger: Logger
    ) throws(CollectorExportError) {
        if mkdir(directory, 0o755) != 0, errno != EEXIST {
            throw .invalid("cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        self.directory = directory
        self.maximumPendingBytes = maximumPendingBytes
        self.interval = interval
        self.logger = logger
    }

    /// Queues a record for `file` (a name within the directory), which `write` appends to the
    /// bytes waiting for the file, under the writer's lock (so that nothing is copied twice). The
    /// record is dropped and `full` thrown when too much would wait; `write`'s error drops it too.
    func append(
        to file: String, _ write: (inout ContiguousArray<UInt8>) throws(CollectorExportError) -> Void
    ) throws(CollectorExportError) {
        try pending.withLock { (pending: inout Pending) throws(CollectorExportError) in
            guard !pending.closed else { throw .closed }
            var bytes = pending.files.removeValue(forKey: file) ?? []
            let start = bytes.count
            defer {
                if !bytes.isEmpty { pending.files[file] = bytes }
            }
            do throws(CollectorExportError) {
                try write(&bytes)
                guard pending.bytes + bytes.count - start <= maximumPendingBytes else { throw .full }
            } catch {
                bytes.removeSubrange(start...)
                throw error
            }
            pending.bytes += bytes.count - start
        }
    }

    /// Writes what waits every `interval` until `close()`, then writes the rest and closes the files.
    func run() async {
        while !pending.withLock({ $0.closed }) {
            try? await Task.sleep(for: interval)
            flush()
        }
        flush()
        descriptors.withLock { descriptors in
            for descriptor in descriptors.values { _ = systemClose(descriptor) }
            descriptors.removeAll()
        }
    }

    /// Stops taking records; `run()` writes those waiting and returns.
    func close() {
        pending.withLock { $0.closed = true }
    }

    /// Writes everything waiting now.
    func flush() {
        let files = pending.withLock { pending -> [String: ContiguousArray<UInt8>] in
            let files = pending.files
            pending.files.removeAll(keepingCapacity: true)
            pending.bytes = 0
            return files
        }
        for (name, bytes) in files where !bytes.isEmpty {
            let error = bytes.withUnsafeBytes { bytes -> Int32 in
                guard let descriptor = descriptor(of: name) else { return errno }
                var written = 0
                while written < bytes.count {
                    let result = systemWrite(descriptor, bytes.baseAddress! + written, bytes.count - written)
                    if result < 0 {
                        if errno == EINTR { continue }
                        return errno
                    }
                    written += result
                }
                return 0
            }
            if error != 0 {
                logger.error(
                    "cannot write to export file",
                    metadata: [
                        "file": "\(directory)/\(name)", "bytes": "\(bytes.count)", "error": "\(String(cString: strerror(error)))",
                    ])
            }
        }
    }

    /// The open file `name`, opened now if needed; nil if it cannot be opened.
    private func descriptor(of name: String) -> Int32? {
        descriptors.withLock { descriptors in
            if let open = descriptors[name] { return open }
            let descriptor = systemOpen(directory + "/" + name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { return nil }
            descriptors[name] = descriptor
            return descriptor
        }
    }
}

private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, bytes, count) }
private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
