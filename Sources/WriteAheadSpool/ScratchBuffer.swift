/// Raw memory the spool reads segment files into, kept and grown across reads so that reading
/// allocates only when a file is larger than any before.
struct ScratchBuffer: ~Copyable {
    /// The memory owned; empty until the first read.
    private var memory = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    /// The first `count` bytes of the buffer, grown (contents not kept) when it is smaller.
    mutating func bytes(count: Int) -> UnsafeMutableRawBufferPointer {
        if memory.count < count {
            memory.deallocate()
            memory = .allocate(byteCount: max(count, memory.count * 2), alignment: 16)
        }
        return UnsafeMutableRawBufferPointer(rebasing: memory[0..<count])
    }

    deinit {
        memory.deallocate()
    }
}
