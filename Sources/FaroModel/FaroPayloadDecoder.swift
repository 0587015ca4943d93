/// Decodes Faro payloads from JSON bytes, in one pass, accepting exactly what Grafana
/// Alloy's `faro.receiver` (Go's `encoding/json`) accepts, within `limits`.
///
/// ```swift
/// let decoder = FaroPayloadDecoder()
/// let payload = try decoder.decode(body)   // body: ContiguousArray<UInt8>
/// print(payload.logs.first?.message ?? "")
/// ```
///
/// Differences from Go, each stricter or safer: ill-formed UTF-8 and lone surrogate
/// escapes are rejected unless `invalidUTF8` is `.replace` (Go replaces them with
/// U+FFFD); data after the top-level value is rejected (Alloy's stream decoder ignores it).
public struct FaroPayloadDecoder: Sendable {
    /// Bounds on size, nesting, items and strings.
    public var limits: FaroDecodingLimits
    /// What to do with ill-formed UTF-8 and lone surrogates in strings.
    public var invalidUTF8: InvalidUTF8Handling

    /// Creates a decoder.
    public init(limits: FaroDecodingLimits = FaroDecodingLimits(), invalidUTF8: InvalidUTF8Handling = .reject) {
        self.limits = limits
        self.invalidUTF8 = invalidUTF8
    }

    /// Decodes a payload; its `traces` refer to `bytes` without copying them.
    public func decode(_ bytes: ContiguousArray<UInt8>) throws(FaroDecodingError) -> FaroPayload {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(FaroDecodingError) in try decode(buffer, storage: bytes) }
        }
        return try result.get()
    }

    /// Decodes a payload as `decode(_:)` does, sharing strings with the earlier payloads decoded
    /// with `memory` and leaving this one's there for the next (see `FaroDecoderMemory`).
    public func decode(_ bytes: ContiguousArray<UInt8>, memory: inout FaroDecoderMemory) throws(FaroDecodingError) -> FaroPayload {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(FaroDecodingError) in try decode(buffer, storage: bytes, memory: &memory) }
        }
        return try result.get()
    }

    /// Decodes a payload; its `traces`, if any, are copied out of `bytes`.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws(FaroDecodingError) -> FaroPayload {
        try decode(bytes, storage: nil)
    }

    /// Decodes a payload from the UTF-8 of `text`.
    public func decode(_ text: String) throws(FaroDecodingError) -> FaroPayload {
        try decode(ContiguousArray(text.utf8))
    }

    private func decode(_ bytes: UnsafeRawBufferPointer, storage: ContiguousArray<UInt8>?) throws(FaroDecodingError)
        -> FaroPayload
    {
        var memory = FaroDecoderMemory()
        return try decode(bytes, storage: storage, memory: &memory)
    }

    private func decode(
        _ bytes: UnsafeRawBufferPointer, storage: ContiguousArray<UInt8>?, memory: inout FaroDecoderMemory
    ) throws(FaroDecodingError) -> FaroPayload {
        if bytes.count > limits.maxPayloadBytes {
            throw FaroDecodingError(.payloadTooLarge(limit: limits.maxPayloadBytes), offset: limits.maxPayloadBytes)
        }
        // The reader takes the memory over (so that its arrays stay uniquely referenced) and gives it back.
        var reader = FaroJSONReader(
            scanner: JSONScanner(
                bytes, maxNestingDepth: limits.maxNestingDepth, maxStringBytes: limits.maxStringBytes,
                invalidUTF8: invalidUTF8),
            storage: storage, maxItems: limits.maxItems, memory: memory)
        memory = FaroDecoderMemory()
        defer { memory = reader.memory }
        var payload = FaroPayload()
        try reader.decodeObject(into: &payload)
        guard reader.scanner.isAtEnd() else { throw FaroDecodingError(.trailingData, offset: reader.scanner.offset) }
        return payload
    }
}
