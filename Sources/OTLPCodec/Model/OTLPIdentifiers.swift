/// A 16-byte trace id (`trace_id`), as OTLP carries it in protobuf and, as 32 hex digits, in OTLP/JSON.
public struct OTLPTraceID: Sendable, Hashable, CustomStringConvertible {
    /// The first eight bytes, big-endian.
    public var high: UInt64
    /// The last eight bytes, big-endian.
    public var low: UInt64

    /// The id whose bytes are `high` then `low`, big-endian.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The id of 16 bytes, or `nil` for another count.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 16 else { return nil }
        high = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
        low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    /// The id of 32 hex digits (either case), or `nil`.
    public init?(hex: some StringProtocol) {
        var text = String(hex)
        guard let id = text.withUTF8({ OTLPTraceID(hexUTF8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = id
    }

    /// The id of 32 hex digits (either case) in UTF-8, or `nil`.
    init?(hexUTF8 text: UnsafeRawBufferPointer) {
        guard text.count == 32, let high = HexDigits.parse(text, from: 0), let low = HexDigits.parse(text, from: 16) else {
            return nil
        }
        self.init(high: high, low: low)
    }

    /// The 16 bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { Array($0) }
    }

    /// 32 lowercase hex digits.
    public var description: String {
        var text = ContiguousArray<UInt8>()
        HexDigits.append(high, to: &text)
        HexDigits.append(low, to: &text)
        return String(decoding: text, as: UTF8.self)
    }
}

/// An 8-byte span id (`span_id`, `parent_span_id`), as OTLP carries it in protobuf and, as 16 hex
/// digits, in OTLP/JSON.
public struct OTLPSpanID: Sendable, Hashable, CustomStringConvertible {
    /// The eight bytes, big-endian.
    public var value: UInt64

    /// The id whose bytes are `value`, big-endian.
    public init(_ value: UInt64) {
        self.value = value
    }

    /// The id of 8 bytes, or `nil` for another count.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 8 else { return nil }
        value = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
    }

    /// The id of 16 hex digits (either case), or `nil`.
    public init?(hex: some StringProtocol) {
        var text = String(hex)
        guard let id = text.withUTF8({ OTLPSpanID(hexUTF8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = id
    }

    /// The id of 16 hex digits (either case) in UTF-8, or `nil`.
    init?(hexUTF8 text: UnsafeRawBufferPointer) {
        guard text.count == 16, let value = HexDigits.parse(text, from: 0) else { return nil }
        self.init(value)
    }

    /// The 8 bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// 16 lowercase hex digits.
    public var description: String {
        var text = ContiguousArray<UInt8>()
        HexDigits.append(value, to: &text)
        return String(decoding: text, as: UTF8.self)
    }
}

/// Sixteen hex digits to and from a 64-bit value.
enum HexDigits {
    /// The value of the 16 hex digits at `start` of `text` (either case), or `nil`.
    static func parse(_ text: UnsafeRawBufferPointer, from start: Int) -> UInt64? {
        var value: UInt64 = 0
        for index in start..<(start + 16) {
            let byte = text[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            value = value &<< 4 | UInt64(digit)
        }
        return value
    }

    /// Appends the 16 lowercase hex digits of `value`.
    static func append(_ value: UInt64, to out: inout ContiguousArray<UInt8>) {
        let digits: StaticString = "0123456789abcdef"
        for shift in stride(from: 60, through: 0, by: -4) {
            out.append(digits.utf8Start[Int(value &>> UInt64(shift) & 0xF)])
        }
    }
}
