#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `<directory>/LOCK`, held from initialization until deinitialization.
///
/// `flock` locks belong to an open file description, so a second spool on the same directory
/// is refused even within one process, and the lock goes away with the process however it ends,
/// or as soon as the spool is released.
struct DirectoryLock: ~Copyable {
    /// The open `LOCK` file that holds the lock.
    private let descriptor: Int32

    /// Takes the lock of `directory` (which must exist) without waiting, or throws `.locked`.
    init(directory: String) throws(SpoolError) {
        let path = directory + "/LOCK"
        let descriptor = try POSIX.open(path, O_RDWR | O_CREAT | O_CLOEXEC)
        var result: Int32
        repeat { result = flock(descriptor, LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
        if result != 0 {
            let error = errno
            POSIX.close(descriptor)
            throw error == EWOULDBLOCK ? .locked(path: directory) : .io(operation: "flock", path: path, errno: error)
        }
        self.descriptor = descriptor
    }

    deinit {
        // Unlocked before it is closed: a process that another thread forks at this instant holds a
        // copy of the descriptor until it execs (only then does `O_CLOEXEC` close it), and with it the
        // open file description, which a close alone would leave locked for that long.
        flock(descriptor, LOCK_UN)
        POSIX.close(descriptor)
    }
}
