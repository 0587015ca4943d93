/// Lowercase hexadecimal digits, as every header of this module writes them; Sampler reads and
/// writes the digits of OpenTelemetry's `ot` entry with it too.
package enum Hex {
    /// The value of each byte as a lowercase hex digit, or `0xFF` for any other byte.
    static let lowercaseDigitValues = digitValues(uppercase: false)
    /// The value of each byte as a hex digit of either case, or `0xFF` for any other byte.
    static let anyCaseDigitValues = digitValues(uppercase: true)

    private static func digitValues(uppercase: Bool) -> [UInt8] {
        (0..<256).map { byte in
            switch UInt8(byte) {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F") where uppercase: UInt8(byte) - UInt8(ascii: "A") + 10
            default: 0xFF
            }
        }
    }

    /// Reads `count` (at most 16) hex digits from `offset` as a number, lowercase only unless
    /// `anyCase`; on a byte that is not one, returns its offset instead.
    @inline(__always)
    package static func parse(
        _ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int, anyCase: Bool = false
    ) -> Result<UInt64, HexDigitError> {
        let digitValues = anyCase ? anyCaseDigitValues : lowercaseDigitValues
        var value: UInt64 = 0
        var invalid: UInt8 = 0
        digitValues.withUnsafeBufferPointer { table in
            for index in offset..<offset + count {
                let digit = table[Int(bytes[index])]
                invalid |= digit
                value = value << 4 | UInt64(digit & 0x0F)
            }
        }
        // A valid digit is at most 0x0F, an invalid one 0xFF: any high bit set marks one.
        guard invalid & 0xF0 != 0 else { return .success(value) }
        for index in offset..<offset + count where digitValues[Int(bytes[index])] == 0xFF {
            return .failure(HexDigitError(offset: index))
        }
        return .failure(HexDigitError(offset: offset))
    }

    /// Reads `count` (1 to 32) hex digits from `offset` as a trace id, the last 16 digits being
    /// its low half; lowercase only unless `anyCase`. Fewer than 32 digits are read as if padded
    /// with leading zeros.
    static func parseTraceID(
        _ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int, anyCase: Bool = false
    ) -> Result<TraceID, HexDigitError> {
        let highCount = Swift.max(count - 16, 0)
        return parse(bytes, at: offset, count: highCount, anyCase: anyCase).flatMap { high in
            parse(bytes, at: offset + highCount, count: count - highCount, anyCase: anyCase).map { low in
                TraceID(high: high, low: low)
            }
        }
    }

    /// Writes `value` as `count` (at most 16) lowercase hex digits at `destination`, leading zeros included.
    @inline(__always)
    static func write(_ value: UInt64, count: Int, to destination: UnsafeMutableRawPointer) {
        let digits: StaticString = "0123456789abcdef"
        var rest = value
        var index = count
        while index > 0 {
            index -= 1
            destination.storeBytes(of: digits.utf8Start[Int(rest & 0x0F)], toByteOffset: index, as: UInt8.self)
            rest >>= 4
        }
    }

    /// `value` as `count` lowercase hex digits.
    package static func string(_ value: UInt64, count: Int) -> String {
        String(unsafeUninitializedCapacity: count) { buffer in
            write(value, count: count, to: UnsafeMutableRawPointer(buffer.baseAddress!))
            return count
        }
    }
}

/// The offset of a byte that is not a lowercase hex digit.
package struct HexDigitError: Error {
    /// Where it is.
    package let offset: Int
}
