/// Why a Snappy block could not be decompressed, with the byte offset in the compressed input
/// where it went wrong.
public enum SnappyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input ended inside the length header (`offset` is where the next byte was expected).
    case truncatedLength(offset: Int)
    /// The length header is longer than five bytes or declares more than `UInt32.max` bytes
    /// (`offset` is the header byte that made it so).
    case malformedLength(offset: Int)
    /// The declared uncompressed length is over the caller's limit; nothing was reserved.
    case lengthOverLimit(length: Int, limit: Int)
    /// The input ended inside an element's tag bytes (the length of a long literal or a copy's
    /// offset); `offset` is the element's tag.
    case truncatedElement(offset: Int)
    /// A literal's bytes run past the end of the input; `offset` is the element's tag.
    case truncatedLiteral(offset: Int)
    /// A copy with offset 0; `offset` is the element's tag.
    case zeroCopyOffset(offset: Int)
    /// A copy that reaches back before the start of the output: `copyOffset` is more than the
    /// `produced` bytes written so far; `offset` is the element's tag.
    case copyOffsetBeyondOutput(offset: Int, copyOffset: Int, produced: Int)
    /// An element would write past the declared uncompressed length; `offset` is its tag.
    case outputOverrun(offset: Int)
    /// The input ended after `produced` bytes of the `expected` declared length; `offset` is
    /// the end of the input.
    case outputTooShort(offset: Int, expected: Int, produced: Int)

    /// The byte offset in the compressed input where the error was found (0 for a length over
    /// the limit, which is a property of the header).
    public var offset: Int {
        switch self {
        case .truncatedLength(let offset), .malformedLength(let offset), .truncatedElement(let offset),
            .truncatedLiteral(let offset), .zeroCopyOffset(let offset), .outputOverrun(let offset):
            offset
        case .copyOffsetBeyondOutput(let offset, _, _), .outputTooShort(let offset, _, _):
            offset
        case .lengthOverLimit:
            0
        }
    }

    /// A one-line description with the offset.
    public var description: String {
        switch self {
        case .truncatedLength(let offset): "snappy: truncated length header at byte \(offset)"
        case .malformedLength(let offset): "snappy: length header too long or over UInt32.max at byte \(offset)"
        case .lengthOverLimit(let length, let limit): "snappy: declared length \(length) is over the limit \(limit)"
        case .truncatedElement(let offset): "snappy: truncated element at byte \(offset)"
        case .truncatedLiteral(let offset): "snappy: literal at byte \(offset) runs past the end of the input"
        case .zeroCopyOffset(let offset): "snappy: copy with offset 0 at byte \(offset)"
        case .copyOffsetBeyondOutput(let offset, let copyOffset, let produced):
            "snappy: copy at byte \(offset) reaches back \(copyOffset) bytes, only \(produced) written"
        case .outputOverrun(let offset): "snappy: element at byte \(offset) writes past the declared length"
        case .outputTooShort(let offset, let expected, let produced):
            "snappy: input ends at byte \(offset) after \(produced) of \(expected) declared bytes"
        }
    }
}
