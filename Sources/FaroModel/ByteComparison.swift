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

    /// Whether `self` and `other` hold the same bytes. Without a byte loop: eight bytes at a time and
    /// the word that ends them (overlapping), two overlapping halves of four under eight bytes, and
    /// under four the first, middle and last bytes. Equal texts (a recent string found again) are
    /// read to their end, where a byte loop would take longest.
    @inline(__always)
    package func bytesEqual(_ other: UnsafeRawBufferPointer) -> Bool {
        guard count == other.count else { return false }
        guard count > 0, let left = baseAddress, let right = other.baseAddress else { return true }
        if count >= 8 {
            var index = 0
            while index &+ 8 < count {
                if left.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    != right.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                {
                    return false
                }
                index &+= 8
            }
            return left.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                == right.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            return left.loadUnaligned(as: UInt32.self) == right.loadUnaligned(as: UInt32.self)
                && left.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
                    == right.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        return left.load(as: UInt8.self) == right.load(as: UInt8.self)
            && left.load(fromByteOffset: count &>> 1, as: UInt8.self) == right.load(fromByteOffset: count &>> 1, as: UInt8.self)
            && left.load(fromByteOffset: count &- 1, as: UInt8.self) == right.load(fromByteOffset: count &- 1, as: UInt8.self)
    }
}
