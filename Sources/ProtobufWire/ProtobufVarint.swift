/// Base-128 varints and ZigZag, the integer encodings of the protobuf wire format.
public enum ProtobufVarint {
    /// The most bytes a varint takes (a 64-bit value).
    public static let maximumLength = 10

    /// How many bytes `value` takes as a varint: 1 to 10.
    public static func length(of value: UInt64) -> Int {
        // One byte per started group of seven bits; zero takes one byte.
        (64 &- (value | 1).leadingZeroBitCount &+ 6) / 7
    }

    /// Writes `value` at `destination` and returns how many bytes it took.
    public static func write(_ value: UInt64, to destination: UnsafeMutableRawPointer) -> Int {
        var value = value
        var count = 0
        while value >= 0x80 {
            destination.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, toByteOffset: count, as: UInt8.self)
            value &>>= 7
            count &+= 1
        }
        destination.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: count, as: UInt8.self)
        return count &+ 1
    }

    /// ZigZag-encodes a signed value (`sint64`): small magnitudes of either sign give small varints.
    public static func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value &<< 1) ^ (value &>> 63))
    }

    /// Decodes a ZigZag-encoded value.
    public static func unZigZag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value &>> 1) ^ (0 &- (value & 1)))
    }
}
