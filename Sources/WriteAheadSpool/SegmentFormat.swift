/// The layout of a segment file.
///
/// A header — the magic `RUMSPOOL`, a version byte, the label's length as a little-endian
/// `UInt16`, the label's UTF-8 bytes and a little-endian CRC-32C of all of these — then
/// records, each framed as its length (`UInt32`, little-endian), a CRC-32C of that length's four
/// bytes followed by the payload (`UInt32`, little-endian), and the payload.
enum SegmentFormat {
    /// The first eight bytes of every segment file.
    static let magic: [UInt8] = Array("RUMSPOOL".utf8)
    /// The format version this module writes and reads.
    static let version: UInt8 = 1
    /// The header's bytes besides the label: magic, version, label length, checksum.
    static let fixedHeaderLength = 8 + 1 + 2 + 4
    /// The longest label a header holds, in UTF-8 bytes.
    static let maximumLabelLength = Int(UInt16.max)
    /// The bytes that frame each record: its length and its checksum.
    static let recordHeaderLength = 8

    /// What a segment file's first bytes turn out to be.
    enum HeaderCheck: Equatable {
        /// A whole header of `length` bytes with this label.
        case valid(label: String, length: Int)
        /// Not a whole header: too short, not the magic, or a checksum that does not match.
        case torn
        /// The magic of a format version newer than this module's.
        case unsupportedVersion(UInt8)
    }

    /// The header of a segment with `label`, which must be at most `maximumLabelLength` bytes.
    static func header(label: String) -> [UInt8] {
        let labelBytes = Array(label.utf8)
        var header = magic
        header.reserveCapacity(fixedHeaderLength + labelBytes.count)
        header.append(version)
        header.append(UInt8(truncatingIfNeeded: labelBytes.count))
        header.append(UInt8(truncatingIfNeeded: labelBytes.count >> 8))
        header.append(contentsOf: labelBytes)
        let checksum = header.withUnsafeBytes { CRC32C.checksum($0) }
        withUnsafeBytes(of: checksum.littleEndian) { header.append(contentsOf: $0) }
        return header
    }

    /// Reads the header at the start of `bytes` (a whole file or more than its header).
    static func checkHeader(_ bytes: UnsafeRawBufferPointer) -> HeaderCheck {
        guard bytes.count >= 11, bytes.prefix(8).elementsEqual(magic) else { return .torn }
        let version = bytes[8]
        if version > Self.version { return .unsupportedVersion(version) }
        guard version == Self.version else { return .torn }
        let labelLength = Int(bytes[9]) | Int(bytes[10]) << 8
        let length = fixedHeaderLength + labelLength
        guard bytes.count >= length else { return .torn }
        let stored = bytes.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self).littleEndian
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(length - 4)])) == stored else {
            return .torn
        }
        return .valid(label: String(decoding: bytes[11..<(11 + labelLength)], as: UTF8.self), length: length)
    }

    /// The checksum a record of `payload` is framed with: the CRC-32C of its length's four
    /// little-endian bytes, then of the payload. Covering the length means a run of zero bytes
    /// (a file extended but never written, after a power loss) is never a valid empty record.
    static func recordChecksum(_ payload: UnsafeRawBufferPointer) -> UInt32 {
        let length = UInt32(truncatingIfNeeded: payload.count).littleEndian
        let prefix = withUnsafeBytes(of: length) { CRC32C.checksum($0) }
        return CRC32C.checksum(payload, initial: prefix)
    }

    /// Walks the records of `bytes` from offset `start`, checking each one's frame and checksum,
    /// and calls `visit` with the range of each payload in order. Stops at the end of `bytes`
    /// or at the first record that is cut short or fails its checksum, and returns the offset
    /// where it stopped (the end of the last good record) and the number of good records.
    static func scanRecords(
        _ bytes: UnsafeRawBufferPointer, from start: Int, visit: (Range<Int>) -> Void = { _ in }
    ) -> (end: Int, count: Int) {
        var offset = start
        var count = 0
        while bytes.count - offset >= recordHeaderLength {
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
            let stored = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self).littleEndian
            let payloadStart = offset + recordHeaderLength
            guard length <= bytes.count - payloadStart else { break }
            let payload = payloadStart..<(payloadStart + length)
            guard recordChecksum(UnsafeRawBufferPointer(rebasing: bytes[payload])) == stored else { break }
            visit(payload)
            offset = payload.upperBound
            count += 1
        }
        return (offset, count)
    }

    /// Calls `body` with each payload of records already checked by `scanRecords`, from
    /// `start` to `end`.
    static func forEachCheckedRecord(
        _ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, _ body: (UnsafeRawBufferPointer) -> Void
    ) {
        var offset = start
        while offset < end {
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
            let payloadStart = offset + recordHeaderLength
            body(UnsafeRawBufferPointer(rebasing: bytes[payloadStart..<(payloadStart + length)]))
            offset = payloadStart + length
        }
    }
}
