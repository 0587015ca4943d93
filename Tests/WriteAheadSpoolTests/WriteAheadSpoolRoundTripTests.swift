import Foundation
import Testing
import WriteAheadSpool

/// Appending, reading back, sealing, removing and reopening.
@Suite struct WriteAheadSpoolRoundTripTests {
    static let lengths = [0, 1, 7, 8, 9, 100, 4096, 65_537, 1 << 20]

    @Test(arguments: [SpoolDurability.processCrash, .powerLoss])
    func roundTripOfVariedRecords(durability: SpoolDurability) throws {
        let directory = SpoolTestDirectory()
        let spool = try WriteAheadSpool(configuration: directory.configuration(durability: durability))
        let records = SpoolTestRecords.make(count: 40, lengths: Self.lengths)
        let id = try spool.createSegment(label: "tenant-1")
        for record in records { try spool.append(record, to: id) }

        // Readable while open, through both readers.
        #expect(try spool.recordArrays(in: id) == records)
        #expect(try spool.iteratedRecords(in: id) == records)

        let framed = records.reduce(0) { $0 + 8 + $1.count }
        let info = try #require(spool.info(for: id))
        #expect(info.recordCount == records.count)
        #expect(info.byteCount == framed + 15 + "tenant-1".utf8.count)
        #expect(try info.byteCount == directory.size(id))
        #expect(!info.isSealed)
        #expect(spool.byteCount == info.byteCount)

        try spool.seal(id)
        #expect(spool.info(for: id)?.isSealed == true)
        #expect(try spool.recordArrays(in: id) == records)
        #expect(try spool.iteratedRecords(in: id) == records)
    }

    @Test func appendOverloadsWriteTheSameBytes() throws {
        let directory = SpoolTestDirectory()
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        let id = try spool.createSegment(label: "")
        let bytes: [UInt8] = [1, 2, 3, 4, 5]
        try bytes.withUnsafeBytes { try spool.append($0, to: id) }
        try spool.append(ContiguousArray(bytes), to: id)
        try spool.append(Data(bytes), to: id)
        try spool.append(bytes.lazy.map { $0 }, to: id)  // not contiguous: copied once
        try spool.append(bytes[1...], to: id)
        #expect(try spool.recordArrays(in: id) == [bytes, bytes, bytes, bytes, Array(bytes[1...])])
    }

    @Test func reopenRecoversSegmentsInOrderWithLabelsAndRecords() throws {
        let directory = SpoolTestDirectory()
        var written: [(label: String, records: [[UInt8]])] = []
        var ids: [SpoolSegmentID] = []
        do {
            let spool = try WriteAheadSpool(configuration: directory.configuration())
            for (index, label) in ["alpha", "", "gamma ✓", "delta"].enumerated() {
                let records = SpoolTestRecords.make(count: 5 + index, lengths: [0, 3, 200, 5000], seed: UInt64(index))
                let id = try spool.createSegment(label: label)
                for record in records { try spool.append(record, to: id) }
                if index % 2 == 0 { try spool.seal(id) }  // some sealed, some left open
                written.append((label, records))
                ids.append(id)
            }
            try spool.remove(ids[1])
            written.remove(at: 1)
            ids.remove(at: 1)
        }
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        let segments = spool.segments
        #expect(segments.map(\.id) == ids)
        #expect(segments.map(\.label) == written.map(\.label))
        #expect(segments.allSatisfy { $0.isSealed && $0.discardedBytes == 0 })
        #expect(segments.map(\.recordCount) == written.map(\.records.count))
        #expect(spool.byteCount == segments.reduce(0) { $0 + $1.byteCount })
        #expect(spool.removedOnRecovery.isEmpty)
        for (id, segment) in zip(ids, written) {
            #expect(try spool.recordArrays(in: id) == segment.records)
        }
        #expect(throws: SpoolError.sealedSegment(ids[0])) { try spool.append([1], to: ids[0]) }
    }

    @Test func sequenceNumbersContinueAfterReopen() throws {
        let directory = SpoolTestDirectory()
        var last: SpoolSegmentID
        do {
            let spool = try WriteAheadSpool(configuration: directory.configuration())
            let first = try spool.createSegment(label: "a")
            last = try spool.createSegment(label: "b")
            #expect(first < last)
            #expect(last.sequence == first.sequence + 1)
            try spool.remove(last)  // the highest is gone: numbers still never repeat in one run
            let third = try spool.createSegment(label: "c")
            #expect(third > last)
            last = third
        }
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        let next = try spool.createSegment(label: "d")
        #expect(next.sequence == last.sequence + 1)
        #expect(spool.segments.map(\.id).last == next)
        #expect(try directory.entries().contains(next.description + ".seg"))
    }

    @Test func otherFilesInTheDirectoryAreLeftAlone() throws {
        let directory = SpoolTestDirectory()
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let others = ["README", "00000000000000zz.seg", "0000000000000001.seg.tmp", "000000000000001.seg", "0000000000000001.SEG"]
        for name in others {
            try Data("not a segment".utf8).write(to: URL(fileURLWithPath: directory.path + "/" + name))
        }
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        #expect(spool.segments.isEmpty)
        let id = try spool.createSegment(label: "x")
        try spool.append([9, 9], to: id)
        try spool.remove(id)
        #expect(try directory.entries() == (others + ["LOCK"]).sorted())
        for name in others {
            #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + name)) == Data("not a segment".utf8))
        }
    }

    @Test func removeDeletesTheFileAndFreesItsBytes() throws {
        let directory = SpoolTestDirectory()
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        let kept = try spool.createSegment(label: "kept")
        let removed = try spool.createSegment(label: "removed")
        try spool.append([1, 2, 3], to: removed)
        let before = spool.byteCount
        try spool.remove(removed)  // open: closed first
        #expect(spool.byteCount == before - (15 + 7 + 8 + 3))
        #expect(spool.segments.map(\.id) == [kept])
        #expect(!FileManager.default.fileExists(atPath: directory.file(removed)))
        #expect(spool.info(for: removed) == nil)
    }
}
