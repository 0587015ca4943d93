#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// Why the lock of a tenants file was not taken.
package enum TenantsFileLockError: Error, Equatable, CustomStringConvertible {
    /// Someone else held the lock file at `path` all the time the writer waited, `waited`.
    case held(path: String, waited: Duration)
    /// The system call `operation` on the lock file at `path` failed with `errno` `code`.
    case failed(operation: String, path: String, code: Int32)

    /// The error for `rumctl`'s message: the lock file, and what went wrong with it.
    package var description: String {
        switch self {
        case .held(let path, let waited):
            "the lock file \(path) is held by another writer of the tenants file (another rumctl tenant add?); gave up after \(waited)"
        case .failed(let operation, let path, let code): "cannot lock \(path): \(operation): \(String(cString: strerror(code)))"
        }
    }
}
