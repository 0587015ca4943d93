import Foundation
import Testing
import WriteAheadSpool

/// The bound, the lock and the errors of misuse.
@Suite struct WriteAheadSpoolLimitsTests {
    @Test func fullWhenTheBoundWouldBeExceededThenRoomAfterRemove() throws {
        let directory = SpoolTestDirectory()
        let spool = try WriteAheadSpool(configuration: directory.configuration(maximumBytes: 1000))
        let old = try spool.createSegment(label: "a")  // 16 bytes
        try spool.append([UInt8](repeating: 1, count: 900), to: old)  // 908 bytes: 924 in all
        #expect(spool.byteCount == 924)
        #expect(throws: SpoolError.full(needed: 108, available: 76)) {
            try spool.append([UInt8](repeating: 2, count: 100), to: old)
        }
        #expect(try directory.size(old) == 924)
        #expect(spool.info(for: old)?.recordCount == 1)
        try spool.append([UInt8](repeating: 3, count: 68), to: old)  // exactly fills it
        #expect(spool.byteCount == 1000)
        #expect(throws: SpoolError.full(needed: 16, available: 0)) { try spool.createSegment(label: "b") }

        try spool.remove(old)
        #expect(spool.byteCount == 0)
        let new = try spool.createSegment(label: "b")
        try spool.append([UInt8](repeating: 2, count: 100), to: new)
        #expect(try spool.recordArrays(in: new) == [[UInt8](repeating: 2, count: 100)])
    }

    @Test func appendToTheOpenSegmentCreatesItAndMakesRoomUntilThereIsNoneToMake() throws {
        let directory = SpoolTestDirectory()
        let spool = try WriteAheadSpool(configuration: directory.configuration(maximumBytes: 1000))
        let old = try spool.createSegment(label: "o")  // 16 bytes
        try spool.append([UInt8](repeating: 1, count: 900), to: old)  // 908 bytes: 924 in all
        var open: SpoolSegmentID? = nil
        var asked = 0
        let record = [UInt8](repeating: 2, count: 100)
        // A new segment (16 bytes) fits beside the old one, the framed record (108) then does not:
        // room is made once.
        try record.withUnsafeBytes { bytes in
            try spool.append(bytes, toOpen: &open, label: "n") {
                asked += 1
                return (try? spool.remove(old)) != nil
            }
        }
        let created = try #require(open)
        #expect(asked == 1)
        #expect(spool.info(for: created)?.label == "n")
        #expect(try spool.recordArrays(in: created) == [record])
        // The same segment takes the next record; with no room left and none to make, `.full`.
        try record.withUnsafeBytes { bytes in try spool.append(bytes, toOpen: &open, label: "n") { false } }
        #expect(open == created && spool.info(for: created)?.recordCount == 2)
        let large = [UInt8](repeating: 3, count: 900)
        #expect(throws: SpoolError.full(needed: 908, available: 1000 - 16 - 2 * 108)) {
            try large.withUnsafeBytes { bytes in
                try spool.append(bytes, toOpen: &open, label: "n") {
                    asked += 1
                    return false
                }
            }
        }
        #expect(asked == 2)
        #expect(spool.info(for: created)?.recordCount == 2)
    }

    @Test func secondSpoolOnTheDirectoryIsLockedOutUntilTheFirstIsReleased() throws {
        let directory = SpoolTestDirectory()
        var first: WriteAheadSpool? = try WriteAheadSpool(configuration: directory.configuration())
        let id = try #require(try first?.createSegment(label: "x"))
        #expect(throws: SpoolError.locked(path: directory.path)) {
            try WriteAheadSpool(configuration: directory.configuration())
        }
        // A trailing slash names the same directory.
        #expect(throws: SpoolError.locked(path: directory.path)) {
            try WriteAheadSpool(configuration: SpoolConfiguration(directory: directory.path + "/"))
        }
        #expect(first?.segments.count == 1)
        first = nil
        let second = try WriteAheadSpool(configuration: directory.configuration())
        #expect(second.segments.map(\.id) == [id])
    }

    /// A child process forked at the moment a spool is released shares the `LOCK` file's open file
    /// description until it execs; a copy of the descriptor, made here with `dup`, stands for it.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/fd")))
    func aReleasedSpoolIsUnlockedWhileACopyOfItsLockDescriptorIsOpen() throws {
        let directory = SpoolTestDirectory()
        var first: WriteAheadSpool? = try WriteAheadSpool(configuration: directory.configuration())
        let lockPath = directory.path + "/LOCK"
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap(Int32.init)
        let lockDescriptor = try #require(
            descriptors.first { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == lockPath })
        let copy = dup(lockDescriptor)
        #expect(copy >= 0)
        defer { close(copy) }
        #expect(first != nil)
        first = nil
        #expect(throws: Never.self) { _ = try WriteAheadSpool(configuration: directory.configuration()) }
    }

    @Test func sealedAndUnknownSegments() throws {
        let directory = SpoolTestDirectory()
        let spool = try WriteAheadSpool(configuration: directory.configuration())
        let id = try spool.createSegment(label: "s")
        try spool.append([1], to: id)
        try spool.seal(id)
        try spool.seal(id)  // sealing again does nothing
        #expect(throws: SpoolError.sealedSegment(id)) { try spool.append([2], to: id) }
        #expect(spool.info(for: id)?.recordCount == 1)

        try spool.remove(id)
        #expect(throws: SpoolError.unknownSegment(id)) { try spool.append([2], to: id) }
        #expect(throws: SpoolError.unknownSegment(id)) { try spool.seal(id) }
        #expect(throws: SpoolError.unknownSegment(id)) { try spool.remove(id) }
        #expect(throws: SpoolError.unknownSegment(id)) { try spool.records(in: id) }
        #expect(throws: SpoolError.unknownSegment(id)) { try spool.forEachRecord(in: id) { _ in } }
        let never = SpoolSegmentID(sequence: 999)
        #expect(throws: SpoolError.unknownSegment(never)) { try spool.append([2], to: never) }
    }

    @Test func recordAndLabelLengthLimits() throws {
        let directory = SpoolTestDirectory()
        let spool = try WriteAheadSpool(configuration: directory.configuration(maximumRecordLength: 100))
        let id = try spool.createSegment(label: "")
        #expect(throws: SpoolError.recordTooLarge(length: 101, maximum: 100)) {
            try spool.append([UInt8](repeating: 0, count: 101), to: id)
        }
        try spool.append([UInt8](repeating: 0, count: 100), to: id)
        #expect(spool.info(for: id)?.recordCount == 1)

        let longest = String(repeating: "l", count: 65_535)
        #expect(throws: SpoolError.labelTooLong(length: 65_536, maximum: 65_535)) {
            try spool.createSegment(label: longest + "l")
        }
        let labelled = try spool.createSegment(label: longest)
        #expect(spool.info(for: labelled)?.byteCount == 15 + 65_535)
    }

    @Test func descriptionsAreOneLine() {
        let errors: [SpoolError] = [
            .io(operation: "open", path: "/x", errno: ENOENT), .locked(path: "/x"), .full(needed: 1, available: 0),
            .recordTooLarge(length: 2, maximum: 1), .labelTooLong(length: 2, maximum: 1),
            .unknownSegment(SpoolSegmentID(sequence: 1)), .sealedSegment(SpoolSegmentID(sequence: 1)),
            .corruptHeader(path: "/x"), .corruptRecord(segment: SpoolSegmentID(sequence: 1), offset: 3),
            .unsupportedVersion(path: "/x", version: 9),
        ]
        for error in errors {
            #expect(error.description.hasPrefix("spool: "))
            #expect(!error.description.contains("\n"))
        }
        #expect(SpoolError.io(operation: "open", path: "/x", errno: ENOENT).description.contains("No such file"))
        #expect(SpoolSegmentID(sequence: 0x2A).description == "000000000000002a")
    }
}
