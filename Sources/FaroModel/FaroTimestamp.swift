/// An instant with the UTC offset it was written with, as Go's `time.Time` keeps it
/// after parsing an RFC 3339 timestamp.
///
/// Faro timestamps are RFC 3339 strings (`2026-11-20T08:15:30.123Z`). Alloy writes
/// them back with Go's `time.Time.String()`, which shows the wall clock at the
/// written offset; keeping the offset lets the encoders reproduce that exactly.
/// Alloy running in UTC (as containers do) names a zero offset `UTC`, and so do we.
public struct FaroTimestamp: Sendable, Hashable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z; negative before.
    public var secondsSince1970: Int64
    /// Nanoseconds within the second, `0..<1_000_000_000`.
    public var nanoseconds: Int32
    /// The offset the timestamp was written with, in seconds east of UTC.
    public var utcOffsetSeconds: Int32

    /// Creates a timestamp.
    public init(secondsSince1970: Int64, nanoseconds: Int32 = 0, utcOffsetSeconds: Int32 = 0) {
        precondition((0..<1_000_000_000).contains(nanoseconds), "nanoseconds out of range")
        self.secondsSince1970 = secondsSince1970
        self.nanoseconds = nanoseconds
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// Go's zero time, 0001-01-01 00:00:00 UTC: what an item without a timestamp carries.
    public static let zero = FaroTimestamp(secondsSince1970: -62_135_596_800)

    /// Whether this is Go's zero time.
    public var isZero: Bool { secondsSince1970 == FaroTimestamp.zero.secondsSince1970 && nanoseconds == 0 }

    /// Nanoseconds since 1970-01-01T00:00:00Z, or `nil` outside the range of `Int64` (years 1678 to 2262).
    public var unixNanoseconds: Int64? {
        let (scaled, overflow) = secondsSince1970.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return nil }
        let (sum, overflow2) = scaled.addingReportingOverflow(Int64(nanoseconds))
        return overflow2 ? nil : sum
    }

    /// Parses an RFC 3339 timestamp as Go's `time.Time.UnmarshalJSON` does; `nil` if Go rejects it.
    public init?(rfc3339 text: String) {
        var text = text
        guard let parsed = text.withUTF8({ FaroTimestamp.parseRFC3339(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// The RFC 3339 form with nanoseconds, as Go's `time.Time.MarshalJSON` writes it.
    public var description: String {
        var bytes = ContiguousArray<UInt8>()
        appendRFC3339(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses the grammar Go's `parseStrictRFC3339` accepts (its strict checks are disabled in
    /// Go 1.20 and later): `YYYY-MM-DDTH[H]:MM:SS[(.|,)digits](Z|±hh:mm)`, month, day, hour,
    /// minute and second in range (no leap second), offset hours up to 24 and minutes up to 60.
    /// Fraction digits past the ninth are dropped, as Go does.
    static func parseRFC3339(_ text: UnsafeRawBufferPointer) -> FaroTimestamp? {
        var cursor = Cursor(text: text)
        guard let (year, month, day, hour, minute, second) = dateAndTime(&cursor), (1...12).contains(month), hour < 24,
            minute < 60, second < 60
        else { return nil }
        var nanoseconds = 0
        if cursor.position + 1 < text.count,
            text[cursor.position] == UInt8(ascii: ".") || text[cursor.position] == UInt8(ascii: ","),
            text[cursor.position + 1] &- UInt8(ascii: "0") < 10
        {
            cursor.position += 1
            // The first nine digits, then scaled to nanoseconds by the ones missing.
            var digits = 0
            while cursor.position < text.count, case let digit = text[cursor.position] &- UInt8(ascii: "0"), digit < 10 {
                if digits < 9 {
                    nanoseconds = nanoseconds &* 10 &+ Int(digit)
                    digits &+= 1
                }
                cursor.position += 1
            }
            while digits < 9 {
                nanoseconds &*= 10
                digits &+= 1
            }
        }
        var offset = 0
        if !cursor.expect(UInt8(ascii: "Z")) {
            guard cursor.position < text.count else { return nil }
            let sign = text[cursor.position]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
            cursor.position += 1
            guard let offsetHours = cursor.digits(2), offsetHours <= 24, cursor.expect(UInt8(ascii: ":")),
                let offsetMinutes = cursor.digits(2), offsetMinutes <= 60
            else { return nil }
            offset = (offsetHours * 60 + offsetMinutes) * 60 * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        guard cursor.position == text.count, day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return FaroTimestamp(
            secondsSince1970: local - Int64(offset), nanoseconds: Int32(nanoseconds), utcOffsetSeconds: Int32(offset))
    }

    /// Reads year, month, day, hour, minute and second (`2006-01-02T15:04:05`, the hour of one or
    /// two digits), not yet checked for range; `nil` if they are not there. The usual form is read
    /// at fixed places.
    @inline(__always)
    private static func dateAndTime(_ cursor: inout Cursor) -> (Int, Int, Int, Int, Int, Int)? {
        if let fields = dateAndTimeAtFixedPlaces(cursor.text) {
            cursor.position = 19
            return fields
        }
        guard let year = cursor.digits(4), cursor.expect(UInt8(ascii: "-")), let month = cursor.digits(2),
            cursor.expect(UInt8(ascii: "-")), let day = cursor.digits(2), cursor.expect(UInt8(ascii: "T")),
            // The hour may have one digit (Go's layout element "15").
            let hour = cursor.digits(2) ?? cursor.digits(1), cursor.expect(UInt8(ascii: ":")),
            let minute = cursor.digits(2), cursor.expect(UInt8(ascii: ":")), let second = cursor.digits(2)
        else { return nil }
        return (year, month, day, hour, minute, second)
    }

    /// Year, month, day, hour, minute and second of a text that starts `dddd-dd-ddTdd:dd:dd`, read
    /// at their fixed places; `nil` for any other start (a one-digit hour, a short text, a byte out
    /// of place), which the cursor then reads.
    @inline(__always)
    private static func dateAndTimeAtFixedPlaces(_ text: UnsafeRawBufferPointer) -> (Int, Int, Int, Int, Int, Int)? {
        guard text.count >= 19, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"), text[10] == UInt8(ascii: "T"),
            text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":")
        else { return nil }
        func digit(_ index: Int) -> Int { Int(text[index] &- UInt8(ascii: "0")) }
        func pair(_ index: Int) -> Int { digit(index) &* 10 &+ digit(index &+ 1) }
        // Whether a pair of places holds digits: each below 10 once '0' is taken away (a byte below '0'
        // wraps), so that adding 6 leaves it below 16.
        func pairOutOfRange(_ index: Int) -> Int { (digit(index) &+ 6) | (digit(index &+ 1) &+ 6) }
        let outOfRange = pairOutOfRange(0) | pairOutOfRange(2) | pairOutOfRange(5) | pairOutOfRange(8)
            | pairOutOfRange(11) | pairOutOfRange(14) | pairOutOfRange(17)
        guard outOfRange & ~0xF == 0 else { return nil }
        return (pair(0) &* 100 &+ pair(2), pair(5), pair(8), pair(11), pair(14), pair(17))
    }

    /// A read position in timestamp text.
    private struct Cursor {
        let text: UnsafeRawBufferPointer
        var position = 0

        /// Reads exactly `count` decimal digits.
        mutating func digits(_ count: Int) -> Int? {
            guard position + count <= text.count else { return nil }
            var value = 0
            for index in position..<position + count {
                let digit = text[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            position += count
            return value
        }

        /// Reads `byte` if it comes next.
        mutating func expect(_ byte: UInt8) -> Bool {
            guard position < text.count, text[position] == byte else { return false }
            position += 1
            return true
        }
    }

    /// Appends Go's `time.Time.String()` form: `2006-01-02 15:04:05.999999999 -0700 MST`.
    package func appendGoString(to out: inout some ByteOutput) {
        var clock = ClockText()
        appendGoString(to: &out, clock: &clock)
    }

    /// Appends Go's `time.Time.String()` form, its date and time of day copied from `clock` when that
    /// holds them (the same wall-clock second), else written and kept there for the next timestamp.
    func appendGoString(to out: inout some ByteOutput, clock: inout ClockText) {
        format(dateTimeSeparator: UInt8(ascii: " "), goZone: true, clock: &clock, to: &out)
    }

    /// Appends the RFC 3339 form with nanoseconds, as Go's `time.Time.MarshalJSON` writes it.
    func appendRFC3339(to out: inout some ByteOutput) {
        var clock = ClockText()
        format(dateTimeSeparator: UInt8(ascii: "T"), goZone: false, clock: &clock, to: &out)
    }

    /// The text of the date and time of day of one wall-clock second in Go's time string,
    /// `2006-01-02 15:04:05`, as a timestamp last wrote it: the items of a payload are mostly seconds
    /// apart or less, and the next of the same second copies it instead of working out the date
    /// again. Only `appendGoString(to:clock:)` keeps one from a timestamp to the next.
    struct ClockText {
        /// The wall-clock second (seconds since 1970 plus the offset), or `nil` before any.
        var localSecond: Int64?
        /// Its nineteen bytes as loaded from memory: the words at offsets 0, 8 and 11 (overlapping).
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
    }

    /// Writes the wall clock at the written offset, with the trimmed fraction, then the zone: ` -0700 MST`
    /// (Go's `String`, `UTC` naming a zero offset) or `Z` / `-07:00` (RFC 3339). Seconds of the offset are
    /// dropped, as Go does. The date and time of day come from `clock` when it holds this second,
    /// and are kept there otherwise (when the year has four digits).
    private func format(dateTimeSeparator: UInt8, goZone: Bool, clock: inout ClockText, to out: inout some ByteOutput) {
        let local = secondsSince1970 + Int64(utcOffsetSeconds)
        // Written in place: at most 64 bytes (a 20-digit year, nanoseconds, two offsets).
        out.appendUnsafe(upTo: 64) { start in
            let buffer = start.assumingMemoryBound(to: UInt8.self)
            var position = 0
            func put(_ byte: UInt8) {
                buffer[position] = byte
                position &+= 1
            }
            func put(_ value: Int, digits: Int) {
                GoNumberFormat.Digits.writePadded(UInt64(value), width: digits, at: buffer + position)
                position &+= digits
            }
            if clock.localSecond == local {
                start.storeBytes(of: clock.words.0, as: UInt64.self)
                start.storeBytes(of: clock.words.1, toByteOffset: 8, as: UInt64.self)
                start.storeBytes(of: clock.words.2, toByteOffset: 11, as: UInt64.self)
                position = 19
            } else {
                var days = local / 86_400
                var secondOfDay = Int(local % 86_400)
                if secondOfDay < 0 {
                    secondOfDay += 86_400
                    days -= 1
                }
                let (year, month, day) = FaroTimestamp.civilDate(daysSince1970: days)
                if (0...9999).contains(year) {
                    put(Int(year), digits: 4)
                } else {
                    // Go's appendInt: a sign, then at least four digits.
                    if year < 0 { put(UInt8(ascii: "-")) }
                    let magnitude = Int(year.magnitude)
                    put(magnitude, digits: max(4, String(magnitude).utf8.count))
                }
                put(UInt8(ascii: "-"))
                put(Int(month), digits: 2)
                put(UInt8(ascii: "-"))
                put(Int(day), digits: 2)
                put(dateTimeSeparator)
                put(secondOfDay / 3600, digits: 2)
                put(UInt8(ascii: ":"))
                put(secondOfDay / 60 % 60, digits: 2)
                put(UInt8(ascii: ":"))
                put(secondOfDay % 60, digits: 2)
                if position == 19 {
                    clock = ClockText(
                        localSecond: local,
                        words: (
                            start.loadUnaligned(as: UInt64.self), start.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                            start.loadUnaligned(fromByteOffset: 11, as: UInt64.self)
                        ))
                }
            }
            if nanoseconds != 0 {
                put(UInt8(ascii: "."))
                // All nine digits, then the trailing zeros dropped: at most the last eight, as the
                // fraction is not zero. They are the zero bytes high in the word of the last eight
                // digits once '0' is taken from each.
                put(Int(nanoseconds), digits: 9)
                let last = UnsafeRawPointer(buffer + position - 8).loadUnaligned(as: UInt64.self)
                let digits = UInt64(littleEndian: last) ^ 0x3030_3030_3030_3030
                position &-= digits == 0 ? 8 : digits.leadingZeroBitCount &>> 3
            }
            var minutes = Int(utcOffsetSeconds) / 60
            let sign = minutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            minutes = abs(minutes)
            if goZone {
                put(UInt8(ascii: " "))
                put(sign)
                put(minutes / 60, digits: 2)
                put(minutes % 60, digits: 2)
                put(UInt8(ascii: " "))
                if utcOffsetSeconds == 0 {
                    put(UInt8(ascii: "U"))
                    put(UInt8(ascii: "T"))
                    put(UInt8(ascii: "C"))
                } else {
                    put(sign)
                    put(minutes / 60, digits: 2)
                    put(minutes % 60, digits: 2)
                }
            } else if utcOffsetSeconds == 0 {
                put(UInt8(ascii: "Z"))
            } else {
                put(sign)
                put(minutes / 60, digits: 2)
                put(UInt8(ascii: ":"))
                put(minutes % 60, digits: 2)
            }
            return position
        }
    }

    /// Days in `month` of `year` in the proleptic Gregorian calendar.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to the given civil date (Howard Hinnant's `days_from_civil`).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date `daysSince1970` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
