extension SnappyCompressor {
    /// Starts a compressed block whose input will come in fragments: appends the length header
    /// for `totalLength` bytes to `output` and reserves the capacity that the whole block can
    /// need, so that compressing its fragments does not reallocate.
    ///
    /// Then pass the input to `compressFragment(_:into:)` in order, in fragments of exactly
    /// `Snappy.blockSize` bytes but the last, which holds the rest (none when `totalLength` is 0).
    /// Snappy compresses every 64 KiB block on its own, so the output is byte for byte what
    /// `compress(_:into:)` gives for the whole input at once, while the input need never be in
    /// memory whole: a writer can fill a small buffer and compress it while it is in cache.
    ///
    /// ```swift
    /// compressor.beginFragments(totalLength: request.count, into: &body)
    /// for start in stride(from: 0, to: request.count, by: Snappy.blockSize) {
    ///     let end = min(start + Snappy.blockSize, request.count)
    ///     compressor.compressFragment(UnsafeRawBufferPointer(rebasing: request[start..<end]), into: &body)
    /// }
    /// ```
    ///
    /// Starting a block abandons the fragments still owed to one begun before.
    ///
    /// - Precondition: `0 <= totalLength <= Snappy.maximumInputLength` (the header is 32 bits).
    public mutating func beginFragments(totalLength: Int, into output: inout ContiguousArray<UInt8>) {
        precondition(
            totalLength >= 0 && totalLength <= Snappy.maximumInputLength, "Snappy cannot describe inputs over UInt32.max bytes")
        let fullFragments = totalLength / Snappy.blockSize
        let last = totalLength % Snappy.blockSize
        let maximum =
            SnappyVarint.maximumLength + fullFragments * Snappy.maximumCompressedLength(Snappy.blockSize)
            + (last == 0 ? 0 : Snappy.maximumCompressedLength(last))
        output.reserveCapacity(output.count + maximum)
        output.append(addingCapacity: SnappyVarint.maximumLength) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                initialized = SnappyVarint.write(UInt32(totalLength), to: UnsafeMutableRawPointer(buffer.baseAddress!))
            }
        }
        remainingFragmentLength = totalLength
    }

    /// Appends the compressed elements of the next fragment of the block begun by
    /// `beginFragments(totalLength:into:)` to `output`; `remainingFragmentLength` says how many
    /// bytes are still owed, 0 once the block is complete.
    ///
    /// - Precondition: `fragment.count` is `Snappy.blockSize`, or the whole rest of the declared
    ///   length when less than that remains; and it is not empty. A fragment of another length,
    ///   or one past the declared length, is a programming error, since the block's header
    ///   would then not describe its elements.
    public mutating func compressFragment(_ fragment: UnsafeRawBufferPointer, into output: inout ContiguousArray<UInt8>) {
        let length = fragment.count
        precondition(
            length > 0 && length == min(Snappy.blockSize, remainingFragmentLength),
            "a Snappy fragment must be Snappy.blockSize bytes, or the rest of the declared length")
        remainingFragmentLength -= length
        let maximum = Snappy.maximumCompressedLength(length)
        withTable { table in
            output.append(addingCapacity: maximum) { span in
                span.withUnsafeMutableBufferPointer { buffer, initialized in
                    initialized = Self.compressBlock(
                        fragment.baseAddress!, length: length, into: UnsafeMutableRawPointer(buffer.baseAddress!), at: 0,
                        table: table.baseAddress!)
                }
            }
        }
    }
}
