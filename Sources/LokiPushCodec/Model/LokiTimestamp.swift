/// The time of a log entry as Loki's push API carries it: a `google.protobuf.Timestamp`,
/// seconds since the Unix epoch and a non-negative fraction in nanoseconds.
///
/// Loki accepts times from the start of year 1 to the end of year 9999 (UTC), the range of
/// `google.protobuf.Timestamp`; `isWithinLokiRange` says whether a timestamp is in it. The JSON
/// push format writes Unix nanoseconds, which an `Int64` holds only from 1677 to 2262.
public struct LokiTimestamp: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z; negative before it.
    public var seconds: Int64
    /// The fraction of the second, 0 to 999,999,999, counted forward from `seconds` even when
    /// `seconds` is negative.
    public var nanoseconds: Int32

    /// The first second Loki accepts, 0001-01-01T00:00:00Z.
    public static let minimumSeconds: Int64 = -62_135_596_800
    /// The first second Loki no longer accepts, 10000-01-01T00:00:00Z.
    public static let endSeconds: Int64 = 253_402_300_800

    /// A timestamp from seconds and a fraction in nanoseconds.
    ///
    /// - Precondition: `0 <= nanoseconds < 1_000_000_000`.
    @inlinable
    public init(seconds: Int64, nanoseconds: Int32) {
        precondition(nanoseconds >= 0 && nanoseconds < 1_000_000_000, "nanoseconds must be 0 to 999,999,999")
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// A timestamp from nanoseconds since the Unix epoch; negative values are before it.
    @inlinable
    public init(unixNanoseconds: Int64) {
        let (quotient, remainder) = unixNanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        if remainder < 0 {
            self.seconds = quotient - 1
            self.nanoseconds = Int32(truncatingIfNeeded: remainder + 1_000_000_000)
        } else {
            self.seconds = quotient
            self.nanoseconds = Int32(truncatingIfNeeded: remainder)
        }
    }

    /// Nanoseconds since the Unix epoch, or `nil` when they do not fit an `Int64` (before
    /// 1677-09-21 or after 2262-04-11).
    @inlinable
    public var unixNanoseconds: Int64? {
        // Before the epoch, count the fraction backwards from the next second, so that
        // Int64.min (whose second is past the range) still fits.
        let (whole, fraction) =
            seconds < 0 && nanoseconds > 0 ? (seconds + 1, Int64(nanoseconds) - 1_000_000_000) : (seconds, Int64(nanoseconds))
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return nil }
        let (sum, sumOverflow) = scaled.addingReportingOverflow(fraction)
        return sumOverflow ? nil : sum
    }

    /// Whether Loki accepts the timestamp: in years 1 to 9999, with the fraction in range.
    @inlinable
    public var isWithinLokiRange: Bool {
        seconds >= Self.minimumSeconds && seconds < Self.endSeconds && nanoseconds >= 0 && nanoseconds < 1_000_000_000
    }

    /// Earlier instants first.
    @inlinable
    public static func < (lhs: LokiTimestamp, rhs: LokiTimestamp) -> Bool {
        lhs.seconds != rhs.seconds ? lhs.seconds < rhs.seconds : lhs.nanoseconds < rhs.nanoseconds
    }
}
