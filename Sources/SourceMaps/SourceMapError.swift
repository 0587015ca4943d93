public import FaroModel

/// Why a source map could not be parsed, and where: each case carries the byte offset into the
/// JSON text, or (for the cases about `mappings`) into the `mappings` string once unescaped.
public enum SourceMapError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input is longer than the size limit.
    case tooLarge(limit: Int)
    /// The input is not JSON, as Go's `encoding/json` reads it.
    case invalidJSON(FaroDecodingError.Reason, offset: Int)
    /// A member holds a value of another JSON type than the Source Map v3 member takes.
    case typeMismatch(field: String, offset: Int)
    /// `version` is not an integer that fits in 64 bits.
    case invalidVersion(offset: Int)
    /// `version` is neither 3 nor absent (go-sourcemap also accepts `0` and a missing `version`).
    case unsupportedVersion(Int, offset: Int)
    /// An index map: `sections` holds at least one section. This module reads plain maps only.
    case indexMapUnsupported(offset: Int)
    /// `sourceRoot` is not a URL that Go's `net/url` parses.
    case invalidSourceRoot(offset: Int)
    /// The URL the map was loaded for is not a URL that Go's `net/url` parses.
    case invalidMapURL
    /// `mappings` is missing or empty (go-sourcemap rejects such a map).
    case emptyMappings(offset: Int)
    /// A byte in `mappings` that is neither a Base64 digit, `,` nor `;`.
    case invalidVLQDigit(UInt8, offset: Int)
    /// A VLQ value beyond ±(2³⁰ − 1), which go-sourcemap's `Int32` arithmetic would garble.
    case vlqOverflow(offset: Int)
    /// `mappings` ends inside a VLQ value (after a digit with the continuation bit).
    case truncatedVLQ(offset: Int)
    /// A segment names a source at or past the end of `sources` (go-sourcemap would crash on it).
    case sourceIndexOutOfRange(Int32, offset: Int)

    /// The byte offset where the input went wrong; `nil` for `tooLarge` and `invalidMapURL`.
    public var offset: Int? {
        switch self {
        case .tooLarge, .invalidMapURL: nil
        case .invalidJSON(_, let offset), .typeMismatch(_, let offset), .invalidVersion(let offset),
            .unsupportedVersion(_, let offset), .indexMapUnsupported(let offset), .invalidSourceRoot(let offset),
            .emptyMappings(let offset), .invalidVLQDigit(_, let offset), .vlqOverflow(let offset),
            .truncatedVLQ(let offset), .sourceIndexOutOfRange(_, let offset):
            offset
        }
    }

    /// A short reason with its offset, such as `mappings offset 12: invalid VLQ digit '!'`.
    public var description: String {
        switch self {
        case .tooLarge(let limit): "source map larger than \(limit) bytes"
        case .invalidJSON(let reason, let offset): "offset \(offset): \(reason)"
        case .typeMismatch(let field, let offset): "offset \(offset): wrong JSON type for \"\(field)\""
        case .invalidVersion(let offset): "offset \(offset): version is not an integer"
        case .unsupportedVersion(let version, let offset): "offset \(offset): version \(version), only 3 is supported"
        case .indexMapUnsupported(let offset): "offset \(offset): index maps (sections) are not supported"
        case .invalidSourceRoot(let offset): "offset \(offset): sourceRoot is not a valid URL"
        case .invalidMapURL: "the source map's URL is not a valid URL"
        case .emptyMappings(let offset): "offset \(offset): mappings are empty"
        case .invalidVLQDigit(let byte, let offset):
            if byte >= 0x20 && byte < 0x7F {
                "mappings offset \(offset): invalid VLQ digit '\(Character(Unicode.Scalar(byte)))'"
            } else {
                "mappings offset \(offset): invalid VLQ byte 0x\(String(byte, radix: 16, uppercase: true))"
            }
        case .vlqOverflow(let offset): "mappings offset \(offset): VLQ value out of range"
        case .truncatedVLQ(let offset): "mappings offset \(offset): mappings end inside a VLQ value"
        case .sourceIndexOutOfRange(let index, let offset): "mappings offset \(offset): source index \(index) out of range"
        }
    }
}
