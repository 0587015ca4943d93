/// The `Retry-After` response header (RFC 9110, section 10.2.3): a number of seconds, or an
/// HTTP date in the preferred IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37 GMT`).
///
/// ```swift
/// let wait = response.headers.first(name: "Retry-After").flatMap {
///     RetryAfter.delay($0, nowSecondsSince1970: Int64(Date().timeIntervalSince1970))
/// }
/// ```
///
/// The current time is the caller's, so that this module needs no clock and tests need no waiting.
public enum RetryAfter {
    /// How long the header asks to wait, given the current time in seconds since 1970; `nil`
    /// when the value is neither form (the obsolete RFC 850 and asctime dates included). A date
    /// in the past means no wait.
    public static func delay(_ value: String, nowSecondsSince1970 now: Int64) -> Duration? {
        let bytes = Array(value.utf8.drop { $0 == UInt8(ascii: " ") }.reversed().drop { $0 == UInt8(ascii: " ") }.reversed())
        if let seconds = deltaSeconds(bytes) { return .seconds(seconds) }
        guard let date = imfFixdate(bytes) else { return nil }
        return .seconds(max(date - now, 0))
    }

    /// `1*DIGIT`, saturating at a day past anything a client would wait.
    private static func deltaSeconds(_ bytes: [UInt8]) -> Int64? {
        guard !bytes.isEmpty, bytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            value = min(value * 10 + Int64(byte - UInt8(ascii: "0")), 1 << 40)
        }
        return value
    }

    /// `day-name, DD month YYYY HH:MM:SS GMT`, as seconds since 1970.
    private static func imfFixdate(_ bytes: [UInt8]) -> Int64? {
        guard bytes.count == 29, bytes[3] == UInt8(ascii: ","), bytes[4] == UInt8(ascii: " "),
            bytes[7] == UInt8(ascii: " "), bytes[11] == UInt8(ascii: " "), bytes[16] == UInt8(ascii: " "),
            bytes[19] == UInt8(ascii: ":"), bytes[22] == UInt8(ascii: ":"), bytes[25] == UInt8(ascii: " "),
            bytes[26...] == [UInt8(ascii: "G"), UInt8(ascii: "M"), UInt8(ascii: "T")],
            let day = number(bytes[5..<7]), let year = number(bytes[12..<16]), let hour = number(bytes[17..<19]),
            let minute = number(bytes[20..<22]), let second = number(bytes[23..<25])
        else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let monthName = String(decoding: bytes[8..<11], as: UTF8.self)
        guard let monthIndex = months.firstIndex(of: monthName), (1...31).contains(day), hour < 24, minute < 60,
            second < 61
        else { return nil }
        let days = daysSince1970(year: year, month: monthIndex + 1, day: day)
        return days * 86_400 + hour * 3_600 + minute * 60 + second
    }

    /// The decimal value of ASCII digits, or `nil` if one is not a digit.
    private static func number(_ digits: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int64(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
    /// `days_from_civil`).
    private static func daysSince1970(year: Int64, month: Int, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
