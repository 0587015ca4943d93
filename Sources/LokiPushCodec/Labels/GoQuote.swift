/// Go's `strconv.Quote`, with which `model.LabelSet.String()` writes label values: the same
/// quoting as FaroModel's `GoQuote`, written here on bytes because LokiPushCodec does not import
/// FaroModel.
enum GoQuote {
    /// Appends the valid UTF-8 `text` in double quotes, escaping `"` and `\`, writing
    /// `\a \b \f \n \r \t \v` for those controls, `\xHH` for other ASCII controls and DEL, and
    /// `\uXXXX` or `\UXXXXXXXX` for other runes that are not printable (Go's `unicode.IsPrint`:
    /// letters, marks, numbers, punctuation, symbols and the ASCII space). Runs of bytes that
    /// need no escape are copied at once.
    static func append(_ text: UnsafeRawBufferPointer, to out: inout ContiguousArray<UInt8>) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = text.count
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
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart..<index]))
                if scalar.value < 0x10000 {
                    HexEscape.append("u", scalar.value, digits: 4, to: &out)
                } else {
                    HexEscape.append("U", scalar.value, digits: 8, to: &out)
                }
                index &+= length
                runStart = index
                continue
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart..<index]))
            if let letter = shortEscape(byte) {
                out.append(UInt8(ascii: "\\"))
                out.append(letter)
            } else {
                HexEscape.append("x", UInt32(byte), digits: 2, to: &out)
            }
            index &+= 1
            runStart = index
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart..<count]))
        out.append(UInt8(ascii: "\""))
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

    /// Whether Go's `unicode.IsPrint` holds for a non-ASCII scalar: general category L, M, N, P or S.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
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
}
