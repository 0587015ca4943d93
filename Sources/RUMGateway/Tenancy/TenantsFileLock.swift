#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on the lock file of a tenants file, `<file>.lock` beside it, held from
/// initialization until `release()` or deinitialization.
///
/// A writer of the tenants file (`rumctl tenant add`) holds it from before it reads the file until
/// after it has renamed the new file over it, so that two writers at once cannot both start from the
/// old file and the second rename drop the first's tenant. The lock is on a file of its own because
/// the rename replaces the tenants file's inode; the lock file stays, as removing it would let a
/// writer lock a file that another has just unlinked. Readers (`rum-gateway`) take no lock.
///
/// `flock` locks belong to an open file description, so two locks in one process exclude each other
/// as those of two processes do, and the lock goes away with the process however it ends.
package struct TenantsFileLock: ~Copyable {
    /// How long a writer waits for a lock that someone else holds: an add holds it for milliseconds.
    package static let defaultWait: Duration = .seconds(5)

    /// How long a writer sleeps between two tries of a lock that someone else holds, in microseconds.
    static let retryMicroseconds: UInt32 = 50_000

    /// The open lock file that holds the lock.
    private let descriptor: Int32

    /// Takes the lock of the tenants file at `tenantsFile`, trying again every 50 ms while someone
    /// else holds it, for about `wait`; then throws `.held`. A new lock file gets the owner's and the
    /// group's read and write permissions of the tenants file (0600 when there is none yet).
    package init(tenantsFile: String, wait: Duration = defaultWait) throws(TenantsFileLockError) {
        let path = Self.path(of: tenantsFile)
        var status = stat()
        let mode = stat(tenantsFile, &status) == 0 ? status.st_mode & 0o660 : 0o600
        var descriptor: Int32
        repeat { descriptor = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, mode) } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else { throw .failed(operation: "open", path: path, code: errno) }
        let retries = Int((wait / .microseconds(Self.retryMicroseconds)).rounded(.up))
        var retried = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let error = errno
            if error != EWOULDBLOCK && error != EINTR {
                close(descriptor)
                throw .failed(operation: "flock", path: path, code: error)
            }
            if retried == retries {
                close(descriptor)
                throw .held(path: path, waited: wait)
            }
            retried += 1
            usleep(Self.retryMicroseconds)
        }
        self.descriptor = descriptor
    }

    /// The lock file of the tenants file at `tenantsFile`: `<file>.lock` beside the file that a
    /// symbolic link leads to (the file `TenantsFile.write` replaces), else beside `tenantsFile`.
    package static func path(of tenantsFile: String) -> String {
        var status = stat()
        if lstat(tenantsFile, &status) == 0, status.st_mode & S_IFMT == S_IFLNK, let resolved = realpath(tenantsFile, nil) {
            defer { free(resolved) }
            return String(cString: resolved) + ".lock"
        }
        return tenantsFile + ".lock"
    }

    /// Releases the lock now, rather than at the end of the scope that holds it.
    package consuming func release() {}

    deinit {
        // Unlocked before it is closed: a process that another thread forks at this instant holds a
        // copy of the descriptor until it execs, and with it the open file description, which a close
        // alone would leave locked for that long.
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
