import FaroModel

/// A `data:` URL (RFC 2397), the form of a source map inlined in its script
/// (`//# sourceMappingURL=data:application/json;base64,…`).
///
/// The media type and its parameters are not checked, as Alloy does not check them. The data
/// after the first `,` is Base64 when the part before it ends with `;base64` (any case; padding
/// optional; the URL-safe alphabet is taken too), and otherwise percent-decoded.
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
            return data.withUnsafeBytes { Base64.decode($0) }
        }
        return percentDecode(data)
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
