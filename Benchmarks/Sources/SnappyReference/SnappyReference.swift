import CSnappyReference

/// Google's snappy 1.1.9 (Debian's `libsnappy-dev`) through its C API (`snappy-c.h`): the
/// reference that `snappy-ratios` and `loki-push-ratios` run beside our Snappy.
public enum SnappyReference {
    /// The most bytes compressing `count` bytes can produce: the room `compress` needs.
    public static func maximumCompressedLength(_ count: Int) -> Int {
        snappy_max_compressed_length(count)
    }

    /// Compresses `input` into `output`, which has room for `maximumCompressedLength(input.count)`
    /// bytes; returns the compressed length.
    @inline(never)
    public static func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        var length = output.count
        let status = snappy_compress(
            input.baseAddress!.assumingMemoryBound(to: CChar.self), input.count,
            output.baseAddress!.assumingMemoryBound(to: CChar.self), &length)
        precondition(status == SNAPPY_OK, "the reference failed to compress")
        return length
    }

    /// Decompresses `input` into `output`; returns the length, or `nil` when the reference
    /// refuses the input or the output has no room.
    @inline(never)
    public static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        var length = output.count
        let status = snappy_uncompress(
            input.baseAddress!.assumingMemoryBound(to: CChar.self), input.count,
            output.baseAddress!.assumingMemoryBound(to: CChar.self), &length)
        return status == SNAPPY_OK ? length : nil
    }

    /// The length that the reference reads from a block's header, or `nil`.
    public static func uncompressedLength(_ input: UnsafeRawBufferPointer) -> Int? {
        var length = 0
        let status = snappy_uncompressed_length(input.baseAddress!.assumingMemoryBound(to: CChar.self), input.count, &length)
        return status == SNAPPY_OK ? length : nil
    }
}
