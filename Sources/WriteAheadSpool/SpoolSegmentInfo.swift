/// What a spool knows about one of its segments.
public struct SpoolSegmentInfo: Sendable, Hashable {
    /// The segment's identity.
    public var id: SpoolSegmentID
    /// The owner's key for the segment (a tenant id, say), given to `createSegment(label:)`;
    /// possibly empty.
    public var label: String
    /// The number of records in the segment.
    public var recordCount: Int
    /// The size of the segment's file in bytes: its header and its framed records.
    public var byteCount: Int
    /// Whether the segment takes no more appends: sealed with `seal(_:)`, or recovered from
    /// an earlier run.
    public var isSealed: Bool
    /// For a segment recovered when the spool opened, the bytes of a torn or corrupt tail that
    /// recovery cut off (0 when the segment ended on a whole record); 0 for new segments.
    public var discardedBytes: Int

    /// A description of a segment with these properties.
    public init(
        id: SpoolSegmentID, label: String, recordCount: Int, byteCount: Int, isSealed: Bool, discardedBytes: Int
    ) {
        self.id = id
        self.label = label
        self.recordCount = recordCount
        self.byteCount = byteCount
        self.isSealed = isSealed
        self.discardedBytes = discardedBytes
    }
}
