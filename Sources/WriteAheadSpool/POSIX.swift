#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// The system calls the spool makes, retried on `EINTR` and turned into `SpoolError.io` with
/// the path they were made on.
enum POSIX {
    /// Opens `path` with `flags` (new files get mode 0644).
    static func open(_ path: String, _ flags: Int32) throws(SpoolError) -> Int32 {
        while true {
            let descriptor = systemOpen(path, flags, 0o644)
            if descriptor >= 0 { return descriptor }
            if errno != EINTR { throw .io(operation: "open", path: path, errno: errno) }
        }
    }

    /// Closes `descriptor`, ignoring errors: nothing written through it depends on close.
    static func close(_ descriptor: Int32) {
        _ = systemClose(descriptor)
    }

    /// Writes `first` then `second` at `offset` of the file, as one `pwritev` when the kernel
    /// takes it all, looping on short writes and `EINTR`. Returns 0, or the `errno` of the
    /// call that failed (part of the bytes may then be written).
    static func write(
        _ descriptor: Int32, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, at offset: Int
    ) -> Int32 {
        let total = first.count + second.count
        var written = 0
        while written < total {
            let result: Int
            if written < first.count {
                var vectors = (
                    iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress! + written), iov_len: first.count - written),
                    iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count)
                )
                result = withUnsafeMutablePointer(to: &vectors) { pair in
                    pair.withMemoryRebound(to: iovec.self, capacity: 2) { vector in
                        pwritev(descriptor, vector, second.isEmpty ? 1 : 2, off_t(offset + written))
                    }
                }
            } else {
                let done = written - first.count
                result = pwrite(descriptor, second.baseAddress! + done, second.count - done, off_t(offset + written))
            }
            if result < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if result == 0 { return EIO }
            written += result
        }
        return 0
    }

    /// Reads from `offset` into `buffer` until it is full or the file ends, and returns the
    /// number of bytes read.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String)
        throws(SpoolError) -> Int
    {
        var done = 0
        while done < buffer.count {
            let result = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if result < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "pread", path: path, errno: errno)
            }
            if result == 0 { break }
            done += result
        }
        return done
    }

    /// The size of the open file.
    static func size(_ descriptor: Int32, path: String) throws(SpoolError) -> Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .io(operation: "fstat", path: path, errno: errno) }
        return Int(status.st_size)
    }

    /// Cuts or extends the open file to `length` bytes.
    static func truncate(_ descriptor: Int32, to length: Int, path: String) throws(SpoolError) {
        while ftruncate(descriptor, off_t(length)) != 0 {
            if errno != EINTR { throw .io(operation: "ftruncate", path: path, errno: errno) }
        }
    }

    /// Flushes the file's data, and the metadata needed to read it back, to the disk.
    static func syncData(_ descriptor: Int32, path: String) throws(SpoolError) {
        #if canImport(Darwin)
        let result = fsync(descriptor)
        #else
        let result = fdatasync(descriptor)
        #endif
        guard result == 0 else { throw .io(operation: "fdatasync", path: path, errno: errno) }
    }

    /// Flushes the file's data and all its metadata to the disk.
    static func sync(_ descriptor: Int32, path: String) throws(SpoolError) {
        guard fsync(descriptor) == 0 else { throw .io(operation: "fsync", path: path, errno: errno) }
    }

    /// Flushes the directory's entries (files created, renamed or removed in it) to the disk.
    static func syncDirectory(_ path: String) throws(SpoolError) {
        let descriptor = try open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(descriptor) }
        try sync(descriptor, path: path)
    }

    /// Removes the file at `path`; one already gone counts as removed.
    static func unlink(_ path: String) throws(SpoolError) {
        guard systemUnlink(path) == 0 || errno == ENOENT else { throw .io(operation: "unlink", path: path, errno: errno) }
    }

    /// Creates the directory at `path` and any missing parents (mode 0755), as `mkdir -p`.
    static func makeDirectories(_ path: String) throws(SpoolError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .io(operation: "mkdir", path: prefix, errno: errno)
            }
            prefix += "/"
        }
    }

    /// The names of the entries of the directory at `path`, `.` and `..` included.
    static func directoryEntries(_ path: String) throws(SpoolError) -> [String] {
        guard let directory = opendir(path) else { throw .io(operation: "opendir", path: path, errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            names.append(name)
        }
        return names
    }
}

/// `open(2)`, under a name the `POSIX` namespace does not shadow.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}

/// `close(2)`, under a name the `POSIX` namespace does not shadow.
private func systemClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

/// `unlink(2)`, under a name the `POSIX` namespace does not shadow.
private func systemUnlink(_ path: String) -> Int32 {
    unlink(path)
}
