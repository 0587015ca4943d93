/// The Base64 variable-length quantities in which Source Map v3 writes the numbers of `mappings`.
///
/// Each Base64 digit holds five bits of the value, least significant first, and a sixth bit that
/// says another digit follows; the lowest bit of the assembled value is the sign.
public enum Base64VLQ {
    /// The value of a Base64 digit (`A`–`Z`, `a`–`z`, `0`–`9`, `+`, `/`), or `nil` for any other byte.
    @inline(__always)
    public static func digitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte &- UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte &- UInt8(ascii: "a") &+ 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0") &+ 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }

    /// Decodes the value that starts at `offset` in `bytes` and moves `offset` past it.
    ///
    /// Values are those go-sourcemap reads into an `Int32` without garbling them: magnitudes up
    /// to 2³⁰ − 1 (the sign takes a bit). Extra digits that only add zero bits (`gAAAAAAA`) are
    /// read as go-sourcemap reads them. Throws `invalidVLQDigit` at a byte that is no Base64
    /// digit, `vlqOverflow` (at the value's first digit) for a larger magnitude, and
    /// `truncatedVLQ` (at the end) when the bytes end before the last digit.
    @inline(__always)
    public static func decode(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) throws(SourceMapError) -> Int32 {
        let start = offset
        var raw: UInt32 = 0
        var shift = 0
        while true {
            guard offset < bytes.count else { throw .truncatedVLQ(offset: offset) }
            let byte = bytes[offset]
            guard let digit = digitValue(byte) else { throw .invalidVLQDigit(byte, offset: offset) }
            let bits = UInt32(digit & 0x1F)
            if shift < 30 {
                raw |= bits << UInt32(shift)
            } else if shift == 30 && bits <= 1 {
                raw |= bits << 30
            } else if bits != 0 {
                throw .vlqOverflow(offset: start)
            }
            offset &+= 1
            if digit & 0x20 == 0 { break }
            shift &+= 5
        }
        let magnitude = Int32(raw >> 1)
        return raw & 1 == 1 ? -magnitude : magnitude
    }
}
