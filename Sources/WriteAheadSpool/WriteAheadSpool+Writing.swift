#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

extension WriteAheadSpool {
    /// Creates an empty segment for `label` (the owner's key for it, possibly empty) and
    /// returns its identity, the next in sequence.
    ///
    /// The header is written with one write to a new file; with `.powerLoss` the file and the
    /// directory are synced. A header that a crash cuts short is recognized and the file
    /// removed when a spool opens the directory again.
    ///
    /// - Throws: `.labelTooLong` for a label over 65,535 UTF-8 bytes; `.full` when the header
    ///   does not fit under `maximumBytes`; `.io` when a system call fails (no file is left).
    public func createSegment(label: String) throws(SpoolError) -> SpoolSegmentID {
        let labelLength = label.utf8.count
        guard labelLength <= SegmentFormat.maximumLabelLength else {
            throw .labelTooLong(length: labelLength, maximum: SegmentFormat.maximumLabelLength)
        }
        let header = SegmentFormat.header(label: label)
        try checkRoom(for: header.count)
        let id = SpoolSegmentID(sequence: nextSequence)
        nextSequence += 1
        let path = path(of: id)
        let descriptor = try POSIX.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC)
        do throws(SpoolError) {
            let error = header.withUnsafeBytes { POSIX.write(descriptor, $0, UnsafeRawBufferPointer(start: nil, count: 0), at: 0) }
            if error != 0 { throw .io(operation: "pwrite", path: path, errno: error) }
            if configuration.durability == .powerLoss {
                try POSIX.sync(descriptor, path: path)
                try POSIX.syncDirectory(directory)
            }
        } catch {
            POSIX.close(descriptor)
            try? POSIX.unlink(path)
            throw error
        }
        let info = SpoolSegmentInfo(
            id: id, label: label, recordCount: 0, byteCount: header.count, isSealed: false, discardedBytes: 0
        )
        entries.append(SegmentEntry(info: info, descriptor: descriptor, headerLength: header.count))
        byteCount += header.count
        return id
    }

    /// Appends `record` to segment `id`, framed with its length and checksum, in one
    /// `pwritev` (looped on short writes). When it returns the record is acknowledged: it is in
    /// the file as far as the kernel is concerned, and with `.powerLoss` on the disk.
    ///
    /// - Throws: `.unknownSegment`; `.sealedSegment`; `.recordTooLarge` over
    ///   `maximumRecordLength`; `.full` when the framed record (8 bytes more than the record)
    ///   does not fit under `maximumBytes`, in which case nothing is written and the owner may
    ///   remove segments and try again; `.io` when the write (or sync) fails, in which case the
    ///   file is cut back to its size before the append. Should that cut fail too, the segment is
    ///   sealed, so that no later record lands after the partial one.
    public func append(_ record: UnsafeRawBufferPointer, to id: SpoolSegmentID) throws(SpoolError) {
        let index = try index(of: id)
        let descriptor = entries[index].descriptor
        guard descriptor >= 0 else { throw .sealedSegment(id) }
        let maximum = min(configuration.maximumRecordLength, Int(UInt32.max))
        guard record.count <= maximum else { throw .recordTooLarge(length: record.count, maximum: maximum) }
        let framedLength = SegmentFormat.recordHeaderLength + record.count
        try checkRoom(for: framedLength)
        let offset = entries[index].info.byteCount
        let frame = (UInt32(record.count).littleEndian, SegmentFormat.recordChecksum(record).littleEndian)
        let error = withUnsafeBytes(of: frame) { POSIX.write(descriptor, $0, record, at: offset) }
        var failure: SpoolError? = error == 0 ? nil : .io(operation: "pwritev", path: path(of: id), errno: error)
        if failure == nil && configuration.durability == .powerLoss {
            do throws(SpoolError) { try POSIX.syncData(descriptor, path: path(of: id)) } catch { failure = error }
        }
        if let failure {
            rollBack(index, to: offset)
            throw failure
        }
        entries[index].info.byteCount += framedLength
        entries[index].info.recordCount += 1
        byteCount += framedLength
    }

    /// Appends the bytes of `record` to segment `id`, as `append(_:to:)` with a raw buffer
    /// does; contiguous collections (`[UInt8]`, `ContiguousArray<UInt8>`, `Data`) are written
    /// from their storage, others copied once.
    public func append(_ record: some Collection<UInt8>, to id: SpoolSegmentID) throws(SpoolError) {
        let appended = record.withContiguousStorageIfAvailable { buffer in
            Result { () throws(SpoolError) in try append(UnsafeRawBufferPointer(buffer), to: id) }
        }
        let result = appended ?? ContiguousArray(record).withUnsafeBytes { bytes in
            Result { () throws(SpoolError) in try append(bytes, to: id) }
        }
        try result.get()
    }

    /// Appends `record` to the owner's open segment `open`, first creating one labelled `label`
    /// (and setting `open` to it) when there is none; while the spool is full, asks `makeRoom` to
    /// remove segments and tries again, until `makeRoom` returns `false`.
    ///
    /// - Throws: `.full` when `makeRoom` found nothing more to remove; the errors of
    ///   `createSegment(label:)` and `append(_:to:)` otherwise.
    public func append(
        _ record: UnsafeRawBufferPointer, toOpen open: inout SpoolSegmentID?, label: String, makingRoom makeRoom: () -> Bool
    ) throws(SpoolError) {
        while true {
            do {
                let segment: SpoolSegmentID
                if let existing = open {
                    segment = existing
                } else {
                    segment = try createSegment(label: label)
                    open = segment
                }
                try append(record, to: segment)
                return
            } catch .full(let needed, let available) {
                guard makeRoom() else { throw .full(needed: needed, available: available) }
            }
        }
    }

    /// Seals segment `id`: it takes no more appends, and its file is closed (after
    /// `fdatasync` with `.powerLoss`). Sealing a sealed segment does nothing.
    ///
    /// - Throws: `.unknownSegment`; `.io` when the sync fails (the segment stays open).
    public func seal(_ id: SpoolSegmentID) throws(SpoolError) {
        let index = try index(of: id)
        let descriptor = entries[index].descriptor
        guard descriptor >= 0 else { return }
        if configuration.durability == .powerLoss {
            try POSIX.syncData(descriptor, path: path(of: id))
        }
        close(index)
    }

    /// Removes segment `id` and its file (closing it first if open); with `.powerLoss` the
    /// directory is synced after.
    ///
    /// - Throws: `.unknownSegment`; `.io` when the file cannot be removed (the segment stays),
    ///   or when the directory sync fails (the segment is gone nonetheless).
    public func remove(_ id: SpoolSegmentID) throws(SpoolError) {
        let index = try index(of: id)
        try POSIX.unlink(path(of: id))
        close(index)
        byteCount -= entries[index].info.byteCount
        entries.remove(at: index)
        if configuration.durability == .powerLoss {
            try POSIX.syncDirectory(directory)
        }
    }

    /// Throws `.full` unless `needed` more bytes fit under `maximumBytes`.
    private func checkRoom(for needed: Int) throws(SpoolError) {
        let available = max(0, configuration.maximumBytes - byteCount)
        guard needed <= available else { throw .full(needed: needed, available: available) }
    }

    /// Closes the file of the segment at `index`, if open, and marks it sealed.
    private func close(_ index: Int) {
        if entries[index].descriptor >= 0 {
            POSIX.close(entries[index].descriptor)
            entries[index].descriptor = -1
        }
        entries[index].info.isSealed = true
    }

    /// Cuts the file of the segment at `index` back to `length` after a failed append; seals
    /// the segment if even that fails.
    private func rollBack(_ index: Int, to length: Int) {
        do throws(SpoolError) {
            try POSIX.truncate(entries[index].descriptor, to: length, path: path(of: entries[index].info.id))
        } catch {
            close(index)
        }
    }
}
