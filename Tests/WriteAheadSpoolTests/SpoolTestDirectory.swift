import Foundation
import TestSupport
import WriteAheadSpool

/// A fresh directory path under the temporary directory for one test, not created (the spool
/// creates it, parents included), and removed with everything in it when the test ends.
final class SpoolTestDirectory {
    /// The root removed at the end; the spool's directory is one level below, to exercise
    /// `mkdir -p`.
    let root: String
    /// The directory given to the spool.
    let path: String

    init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("spool-test-\(UUID().uuidString)").path
        path = root + "/spool"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A configuration for this directory.
    func configuration(
        maximumBytes: Int = 1 << 30, durability: SpoolDurability = .processCrash, maximumRecordLength: Int = 64 << 20
    ) -> SpoolConfiguration {
        SpoolConfiguration(
            directory: path, maximumBytes: maximumBytes, durability: durability, maximumRecordLength: maximumRecordLength
        )
    }

    /// The path of segment `id`'s file.
    func file(_ id: SpoolSegmentID) -> String {
        path + "/" + id.description + ".seg"
    }

    /// The names of the entries of the spool's directory, sorted.
    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    /// The size of segment `id`'s file.
    func size(_ id: SpoolSegmentID) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: file(id))
        return (attributes[.size] as? NSNumber)?.intValue ?? -1
    }

    /// Cuts segment `id`'s file to `length` bytes, as a crash in the middle of a write would.
    func truncate(_ id: SpoolSegmentID, to length: Int) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file(id)))
        try handle.truncate(atOffset: UInt64(length))
        try handle.close()
    }

    /// Inverts the bits of the byte at `offset` of segment `id`'s file.
    func flipByte(_ id: SpoolSegmentID, at offset: Int) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file(id)))
        bytes[offset] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: file(id)))
    }
}

/// Generated records for the tests.
enum SpoolTestRecords {
    /// `count` records of varied lengths from `lengths`, with seeded random contents.
    static func make(count: Int, lengths: [Int], seed: UInt64 = 1) -> [[UInt8]] {
        var random = SplitMix64(state: seed)
        return (0..<count).map { index in
            let length = lengths[index % lengths.count]
            return (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        }
    }
}

extension WriteAheadSpool {
    /// The records of segment `id` as arrays, through `records(in:)`.
    func recordArrays(in id: SpoolSegmentID) throws -> [[UInt8]] {
        try records(in: id).map { Array($0) }
    }

    /// The records of segment `id` as arrays, through `forEachRecord(in:_:)`.
    func iteratedRecords(in id: SpoolSegmentID) throws -> [[UInt8]] {
        var records: [[UInt8]] = []
        try forEachRecord(in: id) { records.append(Array($0)) }
        return records
    }
}
