/// The varint that starts a Snappy block: the uncompressed length, little-endian base 128, at
/// most five bytes and at most `UInt32.max`.
enum SnappyVarint {
    /// The most bytes the length header takes.
    static let maximumLength = 5

    /// Writes `value` at `destination` and returns how many bytes it took (1 to 5).
    @inline(__always)
    static func write(_ value: UInt32, to destination: UnsafeMutableRawPointer) -> Int {
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

    /// Reads the length header at the start of `input`: its value and how many bytes it took.
    static func read(_ input: UnsafeRawBufferPointer) throws(SnappyError) -> (value: Int, count: Int) {
        var value: UInt64 = 0
        for index in 0..<maximumLength {
            guard index < input.count else { throw .truncatedLength(offset: index) }
            let byte = input[index]
            value |= UInt64(byte & 0x7F) << (7 * index)
            if byte < 0x80 {
                guard value <= UInt64(UInt32.max) else { throw .malformedLength(offset: index) }
                return (Int(value), index + 1)
            }
        }
        throw .malformedLength(offset: maximumLength - 1)
    }
}
