/// Compresses bytes into the Snappy block format as the reference C++ library does: 64 KiB
/// blocks, a hash table of 4-byte sequences, the skip heuristic on incompressible data, and
/// matches extended eight bytes at a time.
///
/// Keep one compressor per thread of work: it holds its hash table (32 KiB) between calls, so
/// that after the first call compressing allocates nothing but what the output buffer needs,
/// and nothing at all when that buffer's capacity is already there.
///
/// ```swift
/// var compressor = SnappyCompressor()
/// var body = ContiguousArray<UInt8>()
/// body.reserveCapacity(Snappy.maximumCompressedLength(request.count))
/// compressor.compress(request, into: &body)
/// ```
public struct SnappyCompressor: Sendable {
    /// The largest hash table, in entries (2^14); smaller blocks use smaller tables.
    static let maximumTableBits = 14
    /// Bytes at the end of a block where no match is started, so that the 8-byte loads of the
    /// match loop stay inside the block.
    static let inputMargin = 15

    /// The hash table: for a hash of four bytes, where in the current block they last were.
    private var table: ContiguousArray<UInt16> = []
    /// The bytes that the fragments of the block begun by `beginFragments(totalLength:into:)`
    /// have still to bring.
    public internal(set) var remainingFragmentLength = 0

    /// A compressor; its hash table is allocated by the first call.
    public init() {}

    /// Appends the compressed form of `input` to `output`: the length header, then the elements.
    /// Reserves `Snappy.maximumCompressedLength(input.count)` more bytes of capacity at most once.
    ///
    /// - Precondition: `input.count <= Snappy.maximumInputLength` (the header is 32 bits).
    public mutating func compress(_ input: UnsafeRawBufferPointer, into output: inout ContiguousArray<UInt8>) {
        let count = input.count
        precondition(count <= Snappy.maximumInputLength, "Snappy cannot describe inputs over UInt32.max bytes")
        let maximum = Snappy.maximumCompressedLength(count)
        withTable { table in
            output.append(addingCapacity: maximum) { span in
                span.withUnsafeMutableBufferPointer { buffer, initialized in
                    precondition(buffer.count >= maximum)
                    let destination = UnsafeMutableRawPointer(buffer.baseAddress!)
                    var written = SnappyVarint.write(UInt32(truncatingIfNeeded: count), to: destination)
                    var start = 0
                    while start < count {
                        let length = min(count - start, Snappy.blockSize)
                        written = Self.compressBlock(
                            input.baseAddress! + start, length: length, into: destination, at: written,
                            table: table.baseAddress!)
                        start += length
                    }
                    initialized = written
                }
            }
        }
    }

    /// Appends the compressed form of `input` to `output` (see the overload on a buffer).
    public mutating func compress(_ input: some Collection<UInt8>, into output: inout ContiguousArray<UInt8>) {
        Snappy.withBytes(of: input) { raw in compress(raw, into: &output) }
    }

    /// Runs `body` on the hash table, allocating it on first use.
    @inline(__always)
    mutating func withTable<R>(_ body: (UnsafeMutableBufferPointer<UInt16>) -> R) -> R {
        if table.isEmpty {
            table = ContiguousArray(repeating: 0, count: 1 << Self.maximumTableBits)
        }
        return table.withUnsafeMutableBufferPointer { body($0) }
    }

    // MARK: - The block compressor

    @inline(__always)
    static func load32(_ base: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    static func load64(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Compresses one block of at most 64 KiB into `output` at `start`; returns the new end.
    static func compressBlock(
        _ input: UnsafeRawPointer, length: Int, into output: UnsafeMutableRawPointer, at start: Int,
        table: UnsafeMutablePointer<UInt16>
    ) -> Int {
        var op = start
        var tableBits = 8
        while tableBits < maximumTableBits && (1 << tableBits) < length { tableBits += 1 }
        table.update(repeating: 0, count: 1 << tableBits)
        let shift = UInt32(32 - tableBits)
        @inline(__always) func hash(_ bytes: UInt32) -> Int { Int(truncatingIfNeeded: (bytes &* 0x1E35_A7BD) &>> shift) }

        var nextEmit = 0
        if length >= inputMargin {
            let ipLimit = length - inputMargin
            var ip = 1
            var nextHash = hash(load32(input, ip))
            search: while true {
                // Look for a 4-byte match, stepping further the longer none is found: the step is
                // skip / 32 and each miss adds the step to skip, as the reference does (one byte for
                // 32 misses, then a step that grows by about 3 % a miss), so incompressible data is
                // passed over quickly.
                var skip: UInt32 = 32
                var nextIP = ip
                var candidate: Int
                repeat {
                    ip = nextIP
                    let h = nextHash
                    let step = Int(skip &>> 5)
                    skip &+= UInt32(truncatingIfNeeded: step)
                    nextIP = ip + step
                    if nextIP > ipLimit { break search }
                    nextHash = hash(load32(input, nextIP))
                    candidate = Int(table[h])
                    table[h] = UInt16(truncatingIfNeeded: ip)
                } while load32(input, ip) != load32(input, candidate)

                op = emitLiteral(input + nextEmit, length: ip - nextEmit, into: output, at: op)

                // Emit the match and any that follow it at once, without literals between.
                var inputBytes: UInt64
                var candidateBytes: UInt32
                repeat {
                    let matched = 4 + matchLength(input, candidate + 4, ip + 4, limit: length)
                    let offset = ip - candidate
                    ip += matched
                    op = emitCopy(offset: offset, length: matched, into: output, at: op)
                    nextEmit = ip
                    if ip >= ipLimit { break search }
                    inputBytes = load64(input, ip - 1)
                    table[hash(UInt32(truncatingIfNeeded: inputBytes))] = UInt16(truncatingIfNeeded: ip - 1)
                    let h = hash(UInt32(truncatingIfNeeded: inputBytes &>> 8))
                    candidate = Int(table[h])
                    candidateBytes = load32(input, candidate)
                    table[h] = UInt16(truncatingIfNeeded: ip)
                } while UInt32(truncatingIfNeeded: inputBytes &>> 8) == candidateBytes
                nextHash = hash(UInt32(truncatingIfNeeded: inputBytes &>> 16))
                ip += 1
            }
        }
        if nextEmit < length {
            op = emitLiteral(input + nextEmit, length: length - nextEmit, into: output, at: op)
        }
        return op
    }

    /// How many bytes from `first` equal those from `second` (`first < second`), reading no
    /// further than `limit`: eight bytes at a time, the first difference found by XOR and the
    /// count of trailing zero bits.
    @inline(__always)
    static func matchLength(_ input: UnsafeRawPointer, _ first: Int, _ second: Int, limit: Int) -> Int {
        var a = first
        var b = second
        while b <= limit - 8 {
            let difference = load64(input, a) ^ load64(input, b)
            if difference != 0 { return b - second + difference.trailingZeroBitCount &>> 3 }
            a += 8
            b += 8
        }
        while b < limit && input.load(fromByteOffset: a, as: UInt8.self) == input.load(fromByteOffset: b, as: UInt8.self) {
            a += 1
            b += 1
        }
        return b - second
    }

    /// Writes a literal element: its tag (with the length in it up to 60 bytes, after it in one
    /// to four bytes otherwise), then the bytes.
    @inline(__always)
    static func emitLiteral(
        _ literal: UnsafeRawPointer, length: Int, into output: UnsafeMutableRawPointer, at start: Int
    ) -> Int {
        var op = start
        let n = length - 1
        if n < 60 {
            output.storeBytes(of: UInt8(truncatingIfNeeded: n &<< 2), toByteOffset: op, as: UInt8.self)
            op += 1
        } else {
            var count = 1
            var rest = n &>> 8
            while rest > 0 {
                count += 1
                rest &>>= 8
            }
            output.storeBytes(of: UInt8(truncatingIfNeeded: (59 + count) &<< 2), toByteOffset: op, as: UInt8.self)
            op += 1
            for index in 0..<count {
                output.storeBytes(of: UInt8(truncatingIfNeeded: n &>> (8 * index)), toByteOffset: op + index, as: UInt8.self)
            }
            op += count
        }
        (output + op).copyMemory(from: literal, byteCount: length)
        return op + length
    }

    /// Writes a copy of at most 64 bytes: with a 1-byte offset when it is 4 to 11 bytes long
    /// and the offset under 2048, with a 2-byte offset otherwise.
    @inline(__always)
    static func emitCopyAtMost64(offset: Int, length: Int, into output: UnsafeMutableRawPointer, at op: Int) -> Int {
        if length < 12 && offset < 2048 {
            let tag = 1 | (length - 4) &<< 2 | (offset &>> 8) &<< 5
            output.storeBytes(of: UInt8(truncatingIfNeeded: tag), toByteOffset: op, as: UInt8.self)
            output.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: op + 1, as: UInt8.self)
            return op + 2
        }
        output.storeBytes(of: UInt8(truncatingIfNeeded: 2 | (length - 1) &<< 2), toByteOffset: op, as: UInt8.self)
        output.storeBytes(of: UInt16(truncatingIfNeeded: offset).littleEndian, toByteOffset: op + 1, as: UInt16.self)
        return op + 3
    }

    /// Writes a copy of any length (at least 4) as the reference does: 64-byte copies while at
    /// least 68 remain, then one of 60 if more than 64 remain, so that the last is 4 or more.
    @inline(__always)
    static func emitCopy(offset: Int, length: Int, into output: UnsafeMutableRawPointer, at start: Int) -> Int {
        var op = start
        var length = length
        while length >= 68 {
            op = emitCopyAtMost64(offset: offset, length: 64, into: output, at: op)
            length -= 64
        }
        if length > 64 {
            op = emitCopyAtMost64(offset: offset, length: 60, into: output, at: op)
            length -= 60
        }
        return emitCopyAtMost64(offset: offset, length: length, into: output, at: op)
    }
}
