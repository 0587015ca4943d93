extension UnsafeRawBufferPointer {
    /// The byte-wise order of `self` and `other`, as Go compares strings: negative, zero or positive.
    ///
    /// Eight bytes at a time, as big-endian words; the last bytes of the common part are compared as
    /// the word that ends with them, overlapping bytes already found equal, so that no byte is
    /// compared on its own (four bytes at a time below eight, in two overlapping halves).
    @inline(__always)
    func compareBytes(_ other: UnsafeRawBufferPointer) -> Int {
        let common = Swift.min(count, other.count)
        if common > 0, let left = baseAddress, let right = other.baseAddress {
            if common >= 8 {
                var index = 0
                while true {
                    // The last word ends the common part; earlier ones are whole words before it.
                    let at = Swift.min(index, common &- 8)
                    let a = UInt64(bigEndian: left.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                    let b = UInt64(bigEndian: right.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                    if a != b { return a < b ? -1 : 1 }
                    if at == common &- 8 { break }
                    index &+= 8
                }
            } else {
                let a = Self.bigEndianPrefix(left, common)
                let b = Self.bigEndianPrefix(right, common)
                if a != b { return a < b ? -1 : 1 }
            }
        }
        return count - other.count
    }

    /// The first `count` bytes (1 to 7) at `start` as one big-endian number whose order is theirs:
    /// two overlapping four-byte halves from four bytes on, else the first, middle and last bytes.
    @inline(__always)
    private static func bigEndianPrefix(_ start: UnsafeRawPointer, _ count: Int) -> UInt64 {
        if count >= 4 {
            let head = UInt64(UInt32(bigEndian: start.loadUnaligned(as: UInt32.self)))
            let tail = UInt64(UInt32(bigEndian: start.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)))
            return head &<< 32 | tail
        }
        let first = UInt64(start.load(as: UInt8.self))
        let middle = UInt64(start.load(fromByteOffset: count &>> 1, as: UInt8.self))
        let last = UInt64(start.load(fromByteOffset: count &- 1, as: UInt8.self))
        return first &<< 16 | middle &<< 8 | last
    }

    /// Whether `self` sorts before `other`, byte by byte.
    @inline(__always)
    func bytesPrecede(_ other: UnsafeRawBufferPointer) -> Bool { compareBytes(other) < 0 }

    /// Whether `self` and `other` hold the same bytes.
    @inline(__always)
    package func bytesEqual(_ other: UnsafeRawBufferPointer) -> Bool { count == other.count && compareBytes(other) == 0 }
}
