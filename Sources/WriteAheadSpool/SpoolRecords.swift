/// The records of one segment, read back and checked: a collection of their payloads in the
/// order they were appended.
///
/// It holds a copy of the segment's file in one array; each element is a slice of that array
/// (its indices are the payload's offsets in the file, not from zero), so iterating copies
/// nothing. It stays valid after the segment is removed.
public struct SpoolRecords: RandomAccessCollection, Sendable {
    /// The segment the records were read from.
    public let segment: SpoolSegmentID
    /// The segment file's bytes.
    private let bytes: ContiguousArray<UInt8>
    /// The range of each record's payload in `bytes`.
    private let payloads: [Range<Int>]

    /// Records of `segment` whose payloads are at `payloads` in `bytes`.
    init(segment: SpoolSegmentID, bytes: ContiguousArray<UInt8>, payloads: [Range<Int>]) {
        self.segment = segment
        self.bytes = bytes
        self.payloads = payloads
    }

    /// The position of the first record: 0.
    public var startIndex: Int { 0 }

    /// The position after the last record: the number of records.
    public var endIndex: Int { payloads.count }

    /// The payload of the record at `position`, a slice of the file's bytes.
    public subscript(position: Int) -> ArraySlice<UInt8> {
        bytes[payloads[position]]
    }
}
