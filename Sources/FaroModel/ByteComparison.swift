extension UnsafeRawBufferPointer {
    /// The byte-wise order of `self` and `other`, as Go compares strings: negative, zero or positive.
    /// Eight bytes at a time.
    @inline(__always)
    func compareBytes(_ other: UnsafeRawBufferPointer) -> Int {
        let common = Swift.min(count, other.count)
        var index = 0
        if common > 0, let left = baseAddress, let right = other.baseAddress {
            while index &+ 8 <= common {
                let a = UInt64(bigEndian: left.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let b = UInt64(bigEndian: right.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                if a != b { return a < b ? -1 : 1 }
                index &+= 8
            }
            while index < common {
                let a = left.load(fromByteOffset: index, as: UInt8.self)
                let b = right.load(fromByteOffset: index, as: UInt8.self)
                if a != b { return Int(a) - Int(b) }
                index &+= 1
            }
        }
        return count - other.count
    }

    /// Whether `self` sorts before `other`, byte by byte.
    @inline(__always)
    func bytesPrecede(_ other: UnsafeRawBufferPointer) -> Bool { compareBytes(other) < 0 }

    /// Whether `self` and `other` hold the same bytes.
    @inline(__always)
    package func bytesEqual(_ other: UnsafeRawBufferPointer) -> Bool { count == other.count && compareBytes(other) == 0 }
}
