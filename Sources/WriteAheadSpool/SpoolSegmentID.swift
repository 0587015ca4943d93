/// A segment's identity: its sequence number, which increases with each segment created in a
/// directory (across restarts too), so ordering by identity is ordering by creation.
public struct SpoolSegmentID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The sequence number; the segment's file is this number as 16 lowercase hex digits
    /// followed by `.seg`.
    public let sequence: UInt64

    /// The identity of the segment with sequence number `sequence`.
    public init(sequence: UInt64) {
        self.sequence = sequence
    }

    /// The sequence number as 16 lowercase hex digits, as in the segment's file name.
    public var description: String {
        let digits = String(sequence, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Whether `lhs` was created before `rhs`.
    public static func < (lhs: SpoolSegmentID, rhs: SpoolSegmentID) -> Bool {
        lhs.sequence < rhs.sequence
    }
}
