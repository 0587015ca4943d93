import Foundation
import Testing
import WriteAheadSpool

/// Recovery of what a crash leaves: torn tails, corrupt records, torn headers.
@Suite struct WriteAheadSpoolRecoveryTests {
    /// A closed spool directory with one segment labelled "t" (a 16-byte header) holding
    /// records of 10, 20 and 30 bytes; returns the segment and its records.
    static func writeThreeRecords(in directory: SpoolTestDirectory) throws -> (SpoolSegmentID, [[UInt8]]) {
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        let id = try spool.createSegment(label: "t")
        let records = SpoolTestRecords.make(count: 3, lengths: [10, 20, 30])
        for record in records { try spool.append(record, to: id) }
        #expect(try directory.size(id) == 16 + 18 + 28 + 38)
        return (id, records)
    }

    /// Reopens a torn spool and checks that the first two records survive, the tail of
    /// `discarded` bytes is cut from the file, and a new segment takes appends.
    static func expectFirstTwoRecordsSurvive(
        in directory: SpoolTestDirectory, id: SpoolSegmentID, records: [[UInt8]], discarded: Int
    ) throws {
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        let info = try #require(spool.info(for: id))
        #expect(info.recordCount == 2)
        #expect(info.discardedBytes == discarded)
        #expect(info.byteCount == 16 + 18 + 28)
        #expect(try directory.size(id) == 16 + 18 + 28)
        #expect(spool.byteCount == info.byteCount)
        #expect(try spool.recordArrays(in: id) == Array(records[..<2]))

        let next = try spool.createSegment(label: "next")
        try spool.append([7, 7, 7], to: next)
        #expect(try spool.recordArrays(in: next) == [[7, 7, 7]])
        #expect(next > id)
    }

    @Test func tornTailInsideAPayloadIsCut() throws {
        let directory = SpoolTestDirectory()
        let (id, records) = try Self.writeThreeRecords(in: directory)
        try directory.truncate(id, to: 16 + 18 + 28 + 8 + 15)
        try Self.expectFirstTwoRecordsSurvive(in: directory, id: id, records: records, discarded: 23)
    }

    @Test func tornTailInsideALengthPrefixIsCut() throws {
        let directory = SpoolTestDirectory()
        let (id, records) = try Self.writeThreeRecords(in: directory)
        try directory.truncate(id, to: 16 + 18 + 28 + 2)
        try Self.expectFirstTwoRecordsSurvive(in: directory, id: id, records: records, discarded: 2)
    }

    @Test func zeroFilledTailIsCut() throws {
        // A file extended but never written (a power loss without `.powerLoss`) reads as zeros,
        // which must not pass for empty records.
        let directory = SpoolTestDirectory()
        let (id, records) = try Self.writeThreeRecords(in: directory)
        try directory.truncate(id, to: 16 + 18 + 28)
        try directory.truncate(id, to: 16 + 18 + 28 + 64)
        try Self.expectFirstTwoRecordsSurvive(in: directory, id: id, records: records, discarded: 64)
    }

    @Test func flippedPayloadByteCutsFromThatRecord() throws {
        let directory = SpoolTestDirectory()
        let (id, records) = try Self.writeThreeRecords(in: directory)
        try directory.flipByte(id, at: 16 + 18 + 8 + 5)  // in the second record's payload
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        let info = try #require(spool.info(for: id))
        #expect(info.recordCount == 1)
        #expect(info.discardedBytes == 28 + 38)
        #expect(try directory.size(id) == 16 + 18)
        #expect(try spool.recordArrays(in: id) == [records[0]])
    }

    @Test func flippedLengthByteCutsFromThatRecord() throws {
        let directory = SpoolTestDirectory()
        let (id, records) = try Self.writeThreeRecords(in: directory)
        try directory.flipByte(id, at: 16 + 18 + 28)  // the third record's length: now huge
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        #expect(spool.info(for: id)?.discardedBytes == 38)
        #expect(try spool.recordArrays(in: id) == Array(records[..<2]))
    }

    @Test(arguments: [0, 5, 11, 15])
    func tornHeaderRemovesTheFile(length: Int) throws {
        let directory = SpoolTestDirectory()
        let (torn, kept): (SpoolSegmentID, SpoolSegmentID)
        do {
            let spool = try WriteAheadSpool(configuration: directory.configuration())
            kept = try spool.createSegment(label: "kept")
            try spool.append([1], to: kept)
            torn = try spool.createSegment(label: "torn")  // 19-byte header
        }
        try directory.truncate(torn, to: length)
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        #expect(spool.removedOnRecovery == [torn])
        #expect(spool.segments.map(\.id) == [kept])
        #expect(!FileManager.default.fileExists(atPath: directory.file(torn)))
        #expect(try spool.createSegment(label: "").sequence == torn.sequence + 1)
    }

    @Test func headerWithABadChecksumRemovesTheFile() throws {
        let directory = SpoolTestDirectory()
        let id: SpoolSegmentID
        do {
            let spool = try WriteAheadSpool(configuration: directory.configuration())
            id = try spool.createSegment(label: "label")
            try spool.append([1, 2], to: id)
        }
        try directory.flipByte(id, at: 12)  // in the label
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        #expect(spool.removedOnRecovery == [id])
        #expect(spool.segments.isEmpty)
        #expect(spool.byteCount == 0)
    }

    @Test func newerFormatVersionIsLeftAloneAndRefused() throws {
        let directory = SpoolTestDirectory()
        let id: SpoolSegmentID
        do {
            let spool = try WriteAheadSpool(configuration: directory.configuration())
            id = try spool.createSegment(label: "")
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: directory.file(id)))
        bytes[8] = 2
        try bytes.write(to: URL(fileURLWithPath: directory.file(id)))
        #expect(throws: SpoolError.unsupportedVersion(path: directory.file(id), version: 2)) {
            try WriteAheadSpool(configuration: directory.configuration())
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.file(id))) == bytes)
    }

    @Test func recordChangedUnderTheSpoolFailsTheRead() throws {
        let directory = SpoolTestDirectory()
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        let id = try spool.createSegment(label: "t")
        for record in SpoolTestRecords.make(count: 3, lengths: [10, 20, 30]) { try spool.append(record, to: id) }
        try directory.flipByte(id, at: 16 + 18 + 8)
        #expect(throws: SpoolError.corruptRecord(segment: id, offset: 16 + 18)) { try spool.records(in: id) }
        var calls = 0
        #expect(throws: SpoolError.corruptRecord(segment: id, offset: 16 + 18)) {
            try spool.forEachRecord(in: id) { _ in calls += 1 }
        }
        #expect(calls == 0)
        try spool.seal(id)
        #expect(throws: SpoolError.corruptRecord(segment: id, offset: 16 + 18)) { try spool.records(in: id) }
    }

    @Test func headerChangedUnderTheSpoolFailsTheRead() throws {
        let directory = SpoolTestDirectory()
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        let id = try spool.createSegment(label: "t")
        try directory.flipByte(id, at: 11)
        #expect(throws: SpoolError.corruptHeader(path: directory.file(id))) { try spool.records(in: id) }
    }
}
