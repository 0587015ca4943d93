#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// Why a spool operation failed. Operations that fail leave the spool and its files as they
/// were (an append that failed wrote nothing that stays).
public enum SpoolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A system call failed: `operation` is its name, `path` the file or directory, `errno`
    /// the error number it set.
    case io(operation: String, path: String, errno: Int32)
    /// Another spool, in this process or another, holds the lock of the directory at `path`.
    case locked(path: String)
    /// The append or new segment needs `needed` bytes and only `available` remain under
    /// `maximumBytes`; nothing was written. Remove segments and try again.
    case full(needed: Int, available: Int)
    /// A record of `length` bytes is over the `maximum` record length.
    case recordTooLarge(length: Int, maximum: Int)
    /// A label of `length` UTF-8 bytes is over the `maximum` a segment header holds (65,535).
    case labelTooLong(length: Int, maximum: Int)
    /// The spool has no segment with this identity (never created, or removed).
    case unknownSegment(SpoolSegmentID)
    /// The segment is sealed (or was recovered from an earlier run) and takes no appends.
    case sealedSegment(SpoolSegmentID)
    /// The header of the segment file at `path` no longer matches what the spool wrote: the
    /// file was changed under it.
    case corruptHeader(path: String)
    /// A record of the segment fails its check when read back: the file was changed under the
    /// spool. `offset` is the byte offset of the record's length prefix in the file.
    case corruptRecord(segment: SpoolSegmentID, offset: Int)
    /// The segment file at `path` was written by a newer format `version`; the spool leaves
    /// it alone and does not open.
    case unsupportedVersion(path: String, version: UInt8)

    /// A one-line reason.
    public var description: String {
        switch self {
        case .io(let operation, let path, let errno):
            "spool: \(operation) \(path): \(String(cString: strerror(errno))) (errno \(errno))"
        case .locked(let path): "spool: directory \(path) is locked by another spool"
        case .full(let needed, let available): "spool: full, \(needed) bytes needed and \(available) available"
        case .recordTooLarge(let length, let maximum): "spool: record of \(length) bytes is over the maximum \(maximum)"
        case .labelTooLong(let length, let maximum): "spool: label of \(length) bytes is over the maximum \(maximum)"
        case .unknownSegment(let id): "spool: no segment \(id)"
        case .sealedSegment(let id): "spool: segment \(id) is sealed"
        case .corruptHeader(let path): "spool: header of \(path) does not match what was written"
        case .corruptRecord(let segment, let offset): "spool: record at byte \(offset) of segment \(segment) is corrupt"
        case .unsupportedVersion(let path, let version): "spool: \(path) has unsupported format version \(version)"
        }
    }
}
