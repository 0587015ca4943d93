import Foundation
import Testing
import WriteAheadSpool

/// What a `kill -9` leaves: the spool is never deinitialized (no close, no sync), and the files
/// are read as the kernel holds them, by a reader of the documented format that shares no code
/// with the spool but the CRC, and by a new spool on a copy of the directory.
@Suite struct WriteAheadSpoolCrashTests {
    /// The label and records of a segment file, parsed from its bytes by the documented format,
    /// or nil when it is not a whole, valid segment.
    static func parseSegment(_ file: [UInt8]) -> (label: String, records: [[UInt8]])? {
        func uint32(at offset: Int) -> UInt32 {
            (0..<4).reduce(0) { $0 | UInt32(file[offset + $1]) << (8 * $1) }
        }
        func crc(_ bytes: ArraySlice<UInt8>, initial: UInt32 = 0) -> UInt32 {
            Array(bytes).withUnsafeBytes { CRC32C.checksum($0, initial: initial) }
        }
        guard file.count >= 15, file[..<8].elementsEqual("RUMSPOOL".utf8), file[8] == 1 else { return nil }
        let labelEnd = 11 + (Int(file[9]) | Int(file[10]) << 8)
        guard file.count >= labelEnd + 4, crc(file[..<labelEnd]) == uint32(at: labelEnd) else { return nil }
        var records: [[UInt8]] = []
        var offset = labelEnd + 4
        while offset < file.count {
            guard file.count - offset >= 8 else { return nil }
            let length = Int(uint32(at: offset))
            guard file.count - offset - 8 >= length else { return nil }
            let payload = file[(offset + 8)..<(offset + 8 + length)]
            guard crc(payload, initial: crc(file[offset..<(offset + 4)])) == uint32(at: offset + 4) else { return nil }
            records.append(Array(payload))
            offset += 8 + length
        }
        return (String(decoding: file[11..<labelEnd], as: UTF8.self), records)
    }

    @Test func everyAcknowledgedRecordIsInTheFilesWithoutClosing() throws {
        let directory = SpoolTestDirectory()
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        var acknowledged: [SpoolSegmentID: (label: String, records: [[UInt8]])] = [:]
        for (index, label) in ["sealed", "open", "open, empty", "open, one"].enumerated() {
            let id = try spool.createSegment(label: label)
            let count = [50, 30, 0, 1][index]
            let records = SpoolTestRecords.make(count: count, lengths: [0, 1, 17, 300, 70_000], seed: UInt64(index))
            for record in records { try spool.append(record, to: id) }  // acknowledged when it returns
            if index == 0 { try spool.seal(id) }
            acknowledged[id] = (label, records)
        }

        try withExtendedLifetime(spool) {
            // Raw reads of the files while the spool still holds them open and locked.
            for (id, expected) in acknowledged {
                let file = try #require(FileManager.default.contents(atPath: directory.file(id)))
                let parsed = try #require(Self.parseSegment(Array(file)), "segment \(id)")
                #expect(parsed.label == expected.label)
                #expect(parsed.records == expected.records)
            }

            // A new spool on a copy of the directory, as after a restart: everything recovered.
            let copy = SpoolTestDirectory()
            try FileManager.default.createDirectory(atPath: copy.root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: directory.path, toPath: copy.path)
            let recovered = try WriteAheadSpool(configuration: copy.configuration())
            #expect(recovered.segments.map(\.id) == acknowledged.keys.sorted())
            #expect(recovered.segments.allSatisfy { $0.isSealed && $0.discardedBytes == 0 })
            #expect(recovered.byteCount == spool.byteCount)
            for (id, expected) in acknowledged {
                #expect(recovered.info(for: id)?.label == expected.label)
                #expect(try recovered.recordArrays(in: id) == expected.records)
            }
        }
    }
}
