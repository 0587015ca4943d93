import HTTPFieldText

/// The `traceparent` header of W3C Trace Context: version, trace id, parent id and flags.
///
/// Parsing follows the specification's rules for version `00` and for higher versions (the
/// first 55 bytes are read as version `00`'s, and what follows must start with a dash), and
/// accepts the spaces and tabs that HTTP allows around a field value. Formatting always writes
/// version `00`, as the specification requires of a participant.
///
/// ```swift
/// let parent = try Traceparent(parsing: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
/// parent.flags.contains(.sampled)   // true
/// parent.headerValue                // the same text
/// ```
public struct Traceparent: Hashable, Sendable, CustomStringConvertible {
    /// The length of a version `00` value.
    public static let length = 55
    /// The longest value read (spaces around it included), as OpenTelemetry's propagators limit it:
    /// a higher version may add fields, but not without bound.
    public static let maximumLength = 512

    /// The version the value was written in; formatting writes `00` whatever it is.
    public var version: UInt8
    /// The trace id.
    public var traceID: TraceID
    /// The id of the caller's span.
    public var parentID: SpanID
    /// The flags as received (bits this specification does not define included).
    public var flags: TraceFlags

    /// A version `00` value.
    public init(traceID: TraceID, parentID: SpanID, flags: TraceFlags) {
        self.version = 0
        self.traceID = traceID
        self.parentID = parentID
        self.flags = flags
    }

    /// Parses a header value.
    public init(parsing value: some StringProtocol) throws(TraceparentError) {
        var text = String(value)
        self = try text.withUTF8 { utf8 in
            Result { () throws(TraceparentError) in try Traceparent(parsing: UnsafeRawBufferPointer(utf8)) }
        }.get()
    }

    /// Parses a header value given as its bytes.
    public init(parsing value: UnsafeRawBufferPointer) throws(TraceparentError) {
        guard value.count <= Traceparent.maximumLength else { throw .tooLong(value.count) }
        let bytes = HeaderValue.trimmingWhitespace(value)
        guard bytes.count >= 3, bytes[2] == UInt8(ascii: "-"),
            case .success(let version) = Hex.parse(bytes, at: 0, count: 2)
        else { throw .invalidVersion }
        guard version != 0xFF else { throw .forbiddenVersion }
        guard bytes.count >= Traceparent.length, version != 0 || bytes.count == Traceparent.length else {
            throw .invalidLength(bytes.count)
        }
        guard bytes[35] == UInt8(ascii: "-") else { throw .missingDash(offset: 35) }
        guard bytes[52] == UInt8(ascii: "-") else { throw .missingDash(offset: 52) }
        // A higher version may carry more fields, each after a dash.
        if bytes.count > Traceparent.length, bytes[Traceparent.length] != UInt8(ascii: "-") {
            throw .missingDash(offset: Traceparent.length)
        }
        let high = try Traceparent.hex(bytes, at: 3, count: 16)
        let low = try Traceparent.hex(bytes, at: 19, count: 16)
        let parentID = try Traceparent.hex(bytes, at: 36, count: 16)
        let flags = try Traceparent.hex(bytes, at: 53, count: 2)
        guard high | low != 0 else { throw .zeroTraceID }
        guard parentID != 0 else { throw .zeroParentID }
        self.version = UInt8(version)
        self.traceID = TraceID(high: high, low: low)
        self.parentID = SpanID(rawValue: parentID)
        self.flags = TraceFlags(rawValue: UInt8(flags))
    }

    @inline(__always)
    private static func hex(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) throws(TraceparentError) -> UInt64 {
        switch Hex.parse(bytes, at: offset, count: count) {
        case .success(let value): return value
        case .failure(let error): throw .invalidHexDigit(offset: error.offset)
        }
    }

    /// The value as version `00` writes it, 55 bytes.
    public var headerValue: String {
        String(unsafeUninitializedCapacity: Traceparent.length) { buffer in
            write(to: UnsafeMutableRawPointer(buffer.baseAddress!))
            return Traceparent.length
        }
    }

    /// `headerValue`.
    public var description: String { headerValue }

    /// Appends the value as version `00` writes it (55 bytes) to `buffer`.
    public func write(to buffer: inout ContiguousArray<UInt8>) {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Traceparent.length))
        buffer.withUnsafeMutableBytes { write(to: $0.baseAddress! + start) }
    }

    /// Writes the 55 bytes of the value at `destination`.
    func write(to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: UInt16(0x3030).littleEndian, as: UInt16.self)
        destination.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 2, as: UInt8.self)
        traceID.write(to: destination + 3)
        destination.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 35, as: UInt8.self)
        Hex.write(parentID.rawValue, count: 16, to: destination + 36)
        destination.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 52, as: UInt8.self)
        Hex.write(UInt64(flags.rawValue), count: 2, to: destination + 53)
    }
}
