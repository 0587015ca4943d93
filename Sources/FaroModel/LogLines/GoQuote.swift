/// Go's `strconv.Quote`, with which `model.LabelSet.String()` writes label values: the stream
/// labels of Alloy's lines, and LokiPushCodec's label strings.
package enum GoQuote {
    /// Appends the valid UTF-8 `text` in double quotes, escaping `"` and `\`, writing
    /// `\a \b \f \n \r \t \v` for those controls, `\xHH` for other ASCII controls and DEL, and
    /// `\uXXXX` or `\UXXXXXXXX` for other runes that are not printable (Go's `unicode.IsPrint`:
    /// letters, marks, numbers, punctuation, symbols and the ASCII space). Runs of bytes that
    /// need no escape are copied at once.
    package static func append(_ text: UnsafeRawBufferPointer, to out: inout some ByteOutput) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = text.count
        // Copies the bytes from `runStart` to `index`, which need no escape.
        func copyRun(to out: inout some ByteOutput) {
            out.appendBytes(UnsafeRawBufferPointer(rebasing: text[runStart..<index]))
        }
        while index < count {
            let byte = text[index]
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index &+= 1
                continue
            }
            if byte >= 0x80 {
                let (scalar, length) = decodeScalar(text, at: index)
                if isPrintable(scalar) {
                    index &+= length
                    continue
                }
                copyRun(to: &out)
                if scalar.value < 0x10000 {
                    appendHexEscape("u", scalar.value, digits: 4, to: &out)
                } else {
                    appendHexEscape("U", scalar.value, digits: 8, to: &out)
                }
                index &+= length
                runStart = index
                continue
            }
            copyRun(to: &out)
            if let letter = shortEscape(byte) {
                out.append(UInt8(ascii: "\\"))
                out.append(letter)
            } else {
                appendHexEscape("x", UInt32(byte), digits: 2, to: &out)
            }
            index &+= 1
            runStart = index
        }
        copyRun(to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `text` quoted, as `append(_:to:)` does for bytes.
    package static func append(_ text: String, to out: inout some ByteOutput) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// The letter of the escape of `"`, `\` and the controls Go writes with a letter, or `nil`.
    private static func shortEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte
        case 0x07: UInt8(ascii: "a")
        case 0x08: UInt8(ascii: "b")
        case 0x0C: UInt8(ascii: "f")
        case 0x0A: UInt8(ascii: "n")
        case 0x0D: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        case 0x0B: UInt8(ascii: "v")
        default: nil
        }
    }

    /// The scalar whose valid UTF-8 sequence of two to four bytes starts at `index`, and its length.
    private static func decodeScalar(_ text: UnsafeRawBufferPointer, at index: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(text[index])
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = lead & (0x7F >> UInt32(length))
        for offset in 1..<length {
            value = value << 6 | UInt32(text[index + offset] & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// Whether Go's `unicode.IsPrint` holds for a non-ASCII scalar: general category L, M, N, P or
    /// S in Unicode 15.0, the version of Go's tables from Go 1.21 on (Alloy's Go), so that a
    /// scalar assigned later (U+1FAE9 in 16.0) is escaped as Go escapes it, whatever Unicode
    /// version this Swift runtime knows.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age, age.major < 15 || (age.major == 15 && age.minor == 0) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// Appends `\`, `letter`, and `value` as `digits` lowercase hex digits.
    private static func appendHexEscape(_ letter: Unicode.Scalar, _ value: UInt32, digits: Int, to out: inout some ByteOutput) {
        let hex: StaticString = "0123456789abcdef"
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: letter))
        for position in stride(from: digits - 1, through: 0, by: -1) {
            out.append(hex.utf8Start[Int(value >> UInt32(position * 4) & 0xF)])
        }
    }
}
