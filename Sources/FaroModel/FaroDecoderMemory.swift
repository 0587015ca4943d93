/// What a `FaroPayloadDecoder` carries from one payload to the next when the caller keeps it:
/// recently made strings, so that values repeated across payloads (script URLs, user agents,
/// app and page names) are shared rather than allocated again, and the member order last seen
/// in each object type, which the decoder predicts keys from.
///
/// ```swift
/// var memory = FaroDecoderMemory()
/// for body in bodies {
///     let payload = try decoder.decode(body, memory: &memory)
/// }
/// ```
///
/// Decoding with or without it gives equal payloads. It holds at most 64 strings of 16 to 1,024
/// UTF-8 bytes (64 KiB at worst) and about 1 KiB of predictions; keep one per thread or event
/// loop rather than one per connection.
public struct FaroDecoderMemory: Sendable {
    /// Recently made strings longer than `String`'s inline capacity, by a hash of their bytes
    /// (64 slots, made on first use).
    var recentStrings: [String] = []
    /// For each object type (`JSONFieldNames.id`), the field that came first and after each field
    /// when last seen, or `MemberPrediction.none` (see `MemberPrediction`).
    var predictedFields: [UInt8] = []

    /// Empty memory: the first payload decoded with it fills it.
    public init() {}
}
