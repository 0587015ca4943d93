/// Base64 (RFC 4648): the `bytes` fields of OTLP/JSON other than ids, and source maps inlined
/// as `data:` URLs.
package enum Base64 {
    private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    /// Appends `bytes` in the standard alphabet, padded.
    package static func append(_ bytes: UnsafeRawBufferPointer, to out: inout ContiguousArray<UInt8>) {
        let digits = alphabet.utf8Start
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] as [UInt32] { out.append(digits[Int(group >> shift & 0x3F)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let group = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out.append(digits[Int(group >> 18 & 0x3F)])
            out.append(digits[Int(group >> 12 & 0x3F)])
            out.append(rest == 2 ? digits[Int(group >> 6 & 0x3F)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
    }

    /// The value of one digit of the standard or the URL-safe alphabet, or `nil`.
    private static func value(of byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(byte - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): return 63
        default: return nil
        }
    }

    /// Decodes `text` in the standard or URL-safe alphabet, with or without padding, as the proto3 JSON
    /// mapping accepts; `nil` if it is not base64.
    package static func decode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        var length = text.count
        if length % 4 == 0, length >= 4 {
            if text[length - 1] == UInt8(ascii: "=") { length -= 1 }
            if text[length - 1] == UInt8(ascii: "=") { length -= 1 }
        }
        if length % 4 == 1 { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length * 3 / 4)
        var group: UInt32 = 0
        var digits = 0
        for index in 0..<length {
            guard let digit = value(of: text[index]) else { return nil }
            group = group << 6 | digit
            digits += 1
            if digits == 4 {
                bytes.append(UInt8(truncatingIfNeeded: group >> 16))
                bytes.append(UInt8(truncatingIfNeeded: group >> 8))
                bytes.append(UInt8(truncatingIfNeeded: group))
                group = 0
                digits = 0
            }
        }
        switch digits {
        case 2: bytes.append(UInt8(truncatingIfNeeded: group >> 4))
        case 3:
            bytes.append(UInt8(truncatingIfNeeded: group >> 10))
            bytes.append(UInt8(truncatingIfNeeded: group >> 2))
        default: break
        }
        return bytes
    }
}
