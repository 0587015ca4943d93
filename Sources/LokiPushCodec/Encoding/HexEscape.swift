/// The hex escapes of Go's quoted strings (`\xHH`, `\uHHHH`, `\UHHHHHHHH`), which label values
/// and JSON strings both write.
enum HexEscape {
    /// The lowercase hex digits, as Go writes them.
    private static let digits: StaticString = "0123456789abcdef"

    /// Appends `\`, `letter`, and `value` as `count` lowercase hex digits.
    static func append(_ letter: Unicode.Scalar, _ value: UInt32, digits count: Int, to out: inout ContiguousArray<UInt8>) {
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: letter))
        for position in stride(from: count - 1, through: 0, by: -1) {
            out.append(digits.utf8Start[Int(value >> UInt32(position * 4) & 0xF)])
        }
    }
}
