/// Why a `tracestate` value was rejected. Offsets count bytes from the start of the value; for
/// a value sent as several header fields, of the fields joined by commas.
public enum TraceStateError: Error, Hashable, Sendable {
    /// A list member has no `=`.
    case missingEquals(offset: Int)
    /// A key breaks the key grammar; the offset is the key's first byte.
    case invalidKey(offset: Int)
    /// A value breaks the value grammar (1 to 256 printable ASCII bytes other than `,` and `=`,
    /// not ending in a space); the offset is the value's first byte.
    case invalidValue(offset: Int)
    /// The value is longer than `ParsingOptions.maximumLength` bytes.
    case tooLong(Int)
    /// The list has more than 32 members.
    case tooManyMembers
    /// A key appears twice (rejected only with `DuplicateKeys.reject`).
    case duplicateKey(offset: Int)
}
