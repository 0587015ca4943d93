/// Go's `strconv.Quote`, with which `model.LabelSet.String()` writes label values.
enum GoQuote {
    /// Appends `text` in double quotes, escaping `"` and `\`, writing `\a \b \f \n \r \t \v` for
    /// those controls, `\xHH` for other ASCII controls and DEL, and `\uXXXX` or `\UXXXXXXXX` for
    /// other runes that are not printable (Go's `unicode.IsPrint`: letters, marks, numbers,
    /// punctuation, symbols and the ASCII space).
    static func append(_ text: String, to out: inout some ByteOutput) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x22, 0x5C:
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(value))
            case 0x20..<0x7F:
                out.append(UInt8(value))
            case 0x07: out.appendStatic(#"\a"#)
            case 0x08: out.appendStatic(#"\b"#)
            case 0x0C: out.appendStatic(#"\f"#)
            case 0x0A: out.appendStatic(#"\n"#)
            case 0x0D: out.appendStatic(#"\r"#)
            case 0x09: out.appendStatic(#"\t"#)
            case 0x0B: out.appendStatic(#"\v"#)
            case ..<0x80:
                out.appendStatic(#"\x"#)
                appendHex(value, digits: 2, to: &out)
            default:
                if isPrintable(scalar) {
                    out.appendUTF8(String(scalar))
                } else if value < 0x10000 {
                    out.appendStatic(#"\u"#)
                    appendHex(value, digits: 4, to: &out)
                } else {
                    out.appendStatic(#"\U"#)
                    appendHex(value, digits: 8, to: &out)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
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

    /// Appends `value` as `digits` lowercase hex digits.
    private static func appendHex(_ value: UInt32, digits: Int, to out: inout some ByteOutput) {
        let hex: StaticString = "0123456789abcdef"
        for position in stride(from: digits - 1, through: 0, by: -1) {
            out.append(hex.utf8Start[Int(value >> UInt32(position * 4) & 0xF)])
        }
    }
}
