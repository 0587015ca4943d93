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
/// Decoding with or without it gives equal payloads. It holds at most 1,024 strings of 16 to 256
/// UTF-8 bytes (256 KiB at worst), 256 strings of up to 15 bytes (stored in 8 KiB) and about
/// 1 KiB of predictions; keep one per thread or event loop rather than one per connection.
public struct FaroDecoderMemory: Sendable {
    /// Recently made strings, by a hash of their bytes.
    var recentStrings = RecentStrings()
    /// For each object type (`JSONFieldNames.id`), the field that came first and after each field
    /// when last seen, or `MemberPrediction.none` (see `MemberPrediction`).
    var predictedFields: [UInt8] = []

    /// Empty memory: the first payload decoded with it fills it.
    public init() {}
}
