/// The `traces` member of a payload: OTLP/JSON `resourceSpans`, as the browser sent them.
///
/// The decoder checks that the bytes are well-formed JSON and an object, and keeps them
/// as they are, so that an OTLP transcoder reads them once, straight to protobuf.
public struct FaroTraces: Sendable, Hashable {
    /// The bytes that hold the JSON object.
    public let storage: ContiguousArray<UInt8>
    /// Where in `storage` the object is.
    public let range: Range<Int>

    /// Wraps an OTLP/JSON object that lies at `range` of `storage`; the caller vouches that it is well-formed.
    public init(storage: ContiguousArray<UInt8>, range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= storage.count, "range outside storage")
        self.storage = storage
        self.range = range
    }

    /// The JSON bytes.
    public var json: ArraySlice<UInt8> { ArraySlice(storage[range]) }

    /// Calls `body` with the JSON bytes, without copying them.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// The JSON without whitespace between tokens.
    public var compactedJSON: ContiguousArray<UInt8> {
        var compacted = ContiguousArray<UInt8>()
        withUnsafeBytes { JSONObjectWriter.appendCompacted($0, to: &compacted) }
        return compacted
    }

    /// Two values are equal when their JSON is, whitespace between tokens aside.
    public static func == (lhs: FaroTraces, rhs: FaroTraces) -> Bool {
        lhs.compactedJSON == rhs.compactedJSON
    }

    /// Hashes the JSON, whitespace between tokens aside.
    public func hash(into hasher: inout Hasher) {
        compactedJSON.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
