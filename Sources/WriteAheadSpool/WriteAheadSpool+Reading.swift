#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

extension WriteAheadSpool {
    /// Reads segment `id` back, sealed or open, and returns its records in the order they were
    /// appended, every checksum verified. The file is read with one `pread` into a new array
    /// that the result owns.
    ///
    /// - Throws: `.unknownSegment`; `.corruptHeader` or `.corruptRecord` when the file no longer
    ///   holds what was written (changed under the spool); `.io` when the read fails.
    public func records(in id: SpoolSegmentID) throws(SpoolError) -> SpoolRecords {
        let entry = entries[try index(of: id)]
        let size = entry.info.byteCount
        var payloads: [Range<Int>] = []
        payloads.reserveCapacity(entry.info.recordCount)
        var failure: SpoolError?
        let bytes = ContiguousArray<UInt8>(unsafeUninitializedCapacity: size) { buffer, initialized in
            do throws(SpoolError) {
                try read(entry, into: UnsafeMutableRawBufferPointer(buffer)) { payloads.append($0) }
                initialized = size
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return SpoolRecords(segment: id, bytes: bytes, payloads: payloads)
    }

    /// Reads segment `id` back, sealed or open, into memory the spool reuses across calls, and
    /// calls `body` with each record's payload in the order they were appended. All checksums
    /// are verified before the first call, so `body` sees every record or none.
    ///
    /// The buffer passed to `body` is valid only during the call. `body` must not call
    /// `forEachRecord` again (a precondition); to stop early or to throw, collect what you need
    /// and act after, or use `records(in:)`.
    ///
    /// - Throws: as `records(in:)`.
    public func forEachRecord(in id: SpoolSegmentID, _ body: (UnsafeRawBufferPointer) -> Void) throws(SpoolError) {
        precondition(!isIterating, "forEachRecord called from its own body")
        let entry = entries[try index(of: id)]
        let buffer = scratch.bytes(count: entry.info.byteCount)
        try read(entry, into: buffer)
        isIterating = true
        defer { isIterating = false }
        SegmentFormat.forEachCheckedRecord(
            UnsafeRawBufferPointer(buffer), from: entry.headerLength, to: entry.info.byteCount, body
        )
    }

    /// Reads the file of `entry` into `buffer` (exactly its size) and checks its header and
    /// every record, calling `visit` with the range of each payload.
    private func read(
        _ entry: SegmentEntry, into buffer: UnsafeMutableRawBufferPointer, visit: (Range<Int>) -> Void = { _ in }
    ) throws(SpoolError) {
        let path = path(of: entry.info.id)
        let length: Int
        if entry.descriptor >= 0 {
            length = try POSIX.read(entry.descriptor, into: buffer, at: 0, path: path)
        } else {
            let descriptor = try POSIX.open(path, O_RDONLY | O_CLOEXEC)
            defer { POSIX.close(descriptor) }
            length = try POSIX.read(descriptor, into: buffer, at: 0, path: path)
        }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
        guard SegmentFormat.checkHeader(bytes) == .valid(label: entry.info.label, length: entry.headerLength) else {
            throw .corruptHeader(path: path)
        }
        let (end, count) = SegmentFormat.scanRecords(bytes, from: entry.headerLength, visit: visit)
        guard end == buffer.count && count == entry.info.recordCount else {
            throw .corruptRecord(segment: entry.info.id, offset: end)
        }
    }
}
