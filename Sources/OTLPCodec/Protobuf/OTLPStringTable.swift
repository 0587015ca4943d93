/// The strings a decoding made lately, by their bytes: attribute keys, scope names, methods and
/// hosts come again and again in a batch, and each repeat then costs a comparison instead of a
/// UTF-8 check and, past 15 bytes, an allocation. A direct-mapped table: a slot holds the last
/// string whose bytes hash to it.
struct OTLPStringTable {
    /// Slots, indexed by the low bits of a hash of the bytes.
    private var slots: [String?]
    /// The number of slots minus one (a power of two minus one).
    private let mask: Int

    /// An empty table of 256 slots.
    init() {
        slots = Array(repeating: nil, count: 256)
        mask = 255
    }

    /// The slot of `bytes`: a hash of their length and first and last eight bytes.
    @inline(__always)
    private func slot(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hash = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        if bytes.count >= 8 {
            hash ^= bytes.loadUnaligned(as: UInt64.self)
            hash = (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
        } else {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        hash = (hash ^ (hash >> 32)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: hash >> 40) & mask
    }

    /// The string stored for exactly these bytes, if any.
    @inline(__always)
    func lookup(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let candidate = slots[slot(bytes)] else { return nil }
        let same = candidate.utf8.withContiguousStorageIfAvailable { stored in
            stored.count == bytes.count && (bytes.isEmpty || memoryEqual(UnsafeRawBufferPointer(stored), bytes))
        }
        return same == true ? candidate : nil
    }

    /// Keeps `text`, whose UTF-8 is `bytes`, for later lookups.
    @inline(__always)
    mutating func store(_ text: String, for bytes: UnsafeRawBufferPointer) {
        slots[slot(bytes)] = text
    }

    /// Whether two buffers of the same length hold the same bytes, eight at a time.
    @inline(__always)
    private func memoryEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index + 8 <= a.count {
            if a.loadUnaligned(fromByteOffset: index, as: UInt64.self) != b.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
                return false
            }
            index += 8
        }
        while index < a.count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }
}
