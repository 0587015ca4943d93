#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// The segments found in a spool's directory when it opens, after recovery.
struct RecoveredSegments {
    /// The segments kept, oldest first, all sealed.
    var entries: [SegmentEntry] = []
    /// The segments whose header was torn, whose files were removed.
    var removed: [SpoolSegmentID] = []
    /// The highest sequence number among the segment files found, removed ones included.
    var highestSequence: UInt64 = 0
}

/// Recovery of a spool's directory: every file named as a segment is checked, its torn or
/// corrupt tail cut off, or the file removed when its header is torn.
enum SegmentRecovery {
    /// Recovers the segment files of `directory` (which the caller has locked), reading each
    /// into `scratch`.
    static func run(directory: String, durability: SpoolDurability, scratch: inout ScratchBuffer)
        throws(SpoolError) -> RecoveredSegments
    {
        let ids = try POSIX.directoryEntries(directory).compactMap(SpoolSegmentID.init(fileName:)).sorted()
        var recovered = RecoveredSegments(highestSequence: ids.last?.sequence ?? 0)
        for id in ids {
            let path = directory + "/" + id.fileName
            if let entry = try recover(id, path: path, durability: durability, scratch: &scratch) {
                recovered.entries.append(entry)
            } else {
                try POSIX.unlink(path)
                recovered.removed.append(id)
            }
        }
        if durability == .powerLoss && !recovered.removed.isEmpty {
            try POSIX.syncDirectory(directory)
        }
        return recovered
    }

    /// Checks the segment file at `path`: returns its entry, after cutting the file back to
    /// the end of its last good record, or nil when its header is torn.
    private static func recover(
        _ id: SpoolSegmentID, path: String, durability: SpoolDurability, scratch: inout ScratchBuffer
    ) throws(SpoolError) -> SegmentEntry? {
        let descriptor = try POSIX.open(path, O_RDWR | O_CLOEXEC)
        defer { POSIX.close(descriptor) }
        let size = try POSIX.size(descriptor, path: path)
        let buffer = scratch.bytes(count: size)
        let length = try POSIX.read(descriptor, into: buffer, at: 0, path: path)
        let contents = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
        switch SegmentFormat.checkHeader(contents) {
        case .torn:
            return nil
        case .unsupportedVersion(let version):
            throw .unsupportedVersion(path: path, version: version)
        case .valid(let label, let headerLength):
            let (end, count) = SegmentFormat.scanRecords(contents, from: headerLength)
            if end < size {
                try POSIX.truncate(descriptor, to: end, path: path)
                if durability == .powerLoss { try POSIX.syncData(descriptor, path: path) }
            }
            let info = SpoolSegmentInfo(
                id: id, label: label, recordCount: count, byteCount: end, isSealed: true, discardedBytes: size - end
            )
            return SegmentEntry(info: info, descriptor: -1, headerLength: headerLength)
        }
    }
}
