/// A `data:` URL (RFC 2397), the form of a source map inlined in its script
/// (`//# sourceMappingURL=data:application/json;base64,…`).
///
/// The media type and its parameters are not checked, as Alloy does not check them. The data
/// after the first `,` is Base64 when the part before it ends with `;base64` (any case; padding
/// optional), and otherwise percent-decoded.
public enum DataURL {
    /// The bytes `text` holds, or `nil` when it is no `data:` URL or its data does not decode.
    public static func decode(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        let scheme = Array("data:".utf8)
        guard bytes.count >= scheme.count,
            bytes[..<scheme.count].elementsEqual(scheme, by: { $0 | 0x20 == $1 | 0x20 }),
            let comma = bytes[scheme.count...].firstIndex(of: UInt8(ascii: ","))
        else { return nil }
        let header = bytes[scheme.count..<comma]
        let data = bytes[(comma + 1)...]
        let base64Marker = Array(";base64".utf8)
        if header.count >= base64Marker.count,
            header.suffix(base64Marker.count).elementsEqual(base64Marker, by: { $0 | 0x20 == $1 })
        {
            return decodeBase64(data)
        }
        return percentDecode(data)
    }

    /// Standard Base64, with or without `=` padding; `nil` for any other byte.
    private static func decodeBase64(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var digits = text
        if digits.count % 4 == 0 {
            if digits.last == UInt8(ascii: "=") { digits = digits.dropLast() }
            if digits.last == UInt8(ascii: "=") { digits = digits.dropLast() }
        }
        guard digits.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 4 * 3 + 2)
        var group: UInt32 = 0
        var count = 0
        for byte in digits {
            guard let value = Base64VLQ.digitValue(byte) else { return nil }
            group = group << 6 | UInt32(value)
            count += 1
            if count == 4 {
                out.append(UInt8(truncatingIfNeeded: group >> 16))
                out.append(UInt8(truncatingIfNeeded: group >> 8))
                out.append(UInt8(truncatingIfNeeded: group))
                group = 0
                count = 0
            }
        }
        if count == 2 {
            out.append(UInt8(truncatingIfNeeded: group >> 4))
        } else if count == 3 {
            out.append(UInt8(truncatingIfNeeded: group >> 10))
            out.append(UInt8(truncatingIfNeeded: group >> 2))
        }
        return out
    }

    /// `%XX` escapes decoded; `nil` for a malformed one.
    private static func percentDecode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == UInt8(ascii: "%") {
                guard index + 2 < text.endIndex, let high = GoURL.hexValue(text[index + 1]), let low = GoURL.hexValue(text[index + 2])
                else { return nil }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return out
    }
}
