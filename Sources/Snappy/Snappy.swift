/// The Snappy block format: the raw, unframed compression that Loki's push bodies and
/// Prometheus remote-write bodies use.
///
/// A block is the uncompressed length as a varint (at most five bytes, a value up to
/// `UInt32.max`) followed by elements, each either a literal (bytes copied from the input) or a
/// copy (a length and an offset back into the output written so far).
///
/// ```swift
/// var compressor = SnappyCompressor()        // keep it: it holds the reusable hash table
/// var body = ContiguousArray<UInt8>()
/// compressor.compress(request, into: &body)
///
/// var decoded = ContiguousArray<UInt8>()
/// try Snappy.decompress(body, into: &decoded, maximumLength: 16 << 20)
/// ```
public enum Snappy {
    /// The size of the blocks the compressor cuts its input into (64 KiB); copies never reach
    /// back across a block boundary.
    public static let blockSize = 1 << 16

    /// The largest input the format can describe: its length header is a 32-bit value.
    public static let maximumInputLength = Int(UInt32.max)

    /// The most bytes that compressing `inputLength` bytes can produce, `32 + n + n / 6`, as the
    /// reference implementation bounds it: reserve this much to compress without reallocating.
    public static func maximumCompressedLength(_ inputLength: Int) -> Int {
        32 &+ inputLength &+ inputLength / 6
    }

    /// Compresses `input` into a new array. Allocates a compressor for the call; to compress
    /// many inputs, keep a `SnappyCompressor` and a buffer instead.
    public static func compress(_ input: some Collection<UInt8>) -> ContiguousArray<UInt8> {
        var compressor = SnappyCompressor()
        var output = ContiguousArray<UInt8>()
        compressor.compress(input, into: &output)
        return output
    }

    /// The uncompressed length that a compressed block declares in its header, read without
    /// decompressing. Throws when the header is truncated or longer than five bytes, or when
    /// its value is over `UInt32.max`.
    public static func uncompressedLength(of input: UnsafeRawBufferPointer) throws(SnappyError) -> Int {
        try SnappyVarint.read(input).value
    }

    /// The uncompressed length that `input`'s header declares (see the overload on a buffer).
    public static func uncompressedLength(of input: some Collection<UInt8>) throws(SnappyError) -> Int {
        try Snappy.withBytes(of: input) { (raw) throws(SnappyError) -> Int in try uncompressedLength(of: raw) }
    }

    /// Runs `body` on `input`'s bytes, copying them only when the collection is not contiguous.
    @inlinable
    static func withBytes<R, E: Error>(
        of input: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        var result: Result<R, E>? = nil
        input.withContiguousStorageIfAvailable { buffer in
            do throws(E) { result = .success(try body(UnsafeRawBufferPointer(buffer))) } catch { result = .failure(error) }
        }
        if result == nil {
            let copy = ContiguousArray(input)
            copy.withUnsafeBytes { raw in
                do throws(E) { result = .success(try body(raw)) } catch { result = .failure(error) }
            }
        }
        return try result!.get()
    }
}
