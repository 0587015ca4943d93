/// The spool's record of one segment: what it reports, and the open file of a segment that
/// still takes appends.
struct SegmentEntry {
    /// What `segments` reports for it.
    var info: SpoolSegmentInfo
    /// The file, open for reading and writing, while the segment takes appends; -1 once sealed.
    var descriptor: Int32
    /// The length of the segment's header: its first record starts here.
    let headerLength: Int
}
