import CZlib

/// The wrappers zlib's deflate can put around a deflate stream, for producing test bodies.
enum TestWrapper: CaseIterable, CustomStringConvertible {
    case gzip, zlib, raw

    var windowBits: Int32 {
        switch self {
        case .gzip: 16 + 15
        case .zlib: 15
        case .raw: -15
        }
    }

    var description: String {
        switch self {
        case .gzip: "gzip"
        case .zlib: "zlib"
        case .raw: "raw"
        }
    }
}

/// Compresses test bodies through the system zlib's `deflateInit2`/`deflate`.
enum TestCompression {
    /// `input` compressed in one call with the given wrapper and level.
    static func compress(_ input: [UInt8], _ wrapper: TestWrapper, level: Int32 = Z_DEFAULT_COMPRESSION) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(
            &stream, level, Z_DEFLATED, wrapper.windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK)
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        input.withUnsafeBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress)
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(bound)
                let result = deflate(&stream, Z_FINISH)
                precondition(result == Z_STREAM_END)
            }
        }
        output.removeLast(Int(stream.avail_out))
        return output
    }

    /// `count` zero bytes compressed at the best level with run-length matches (fast, same ratio), streamed through a 1 MiB buffer of zeros: a
    /// compression bomb (1 GiB of zeros makes about 1 MiB).
    static func compressZeros(count: Int, _ wrapper: TestWrapper) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(
            &stream, Z_BEST_COMPRESSION, Z_DEFLATED, wrapper.windowBits, 9, Z_RLE, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK)
        defer { deflateEnd(&stream) }
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var output: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        var left = count
        zeros.withUnsafeBufferPointer { zeros in
            scratch.withUnsafeMutableBufferPointer { scratch in
                repeat {
                    let piece = min(left, zeros.count)
                    left -= piece
                    stream.next_in = UnsafeMutablePointer(mutating: zeros.baseAddress)
                    stream.avail_in = uInt(piece)
                    let flush = left == 0 ? Z_FINISH : Z_NO_FLUSH
                    var result: Int32
                    repeat {
                        stream.next_out = scratch.baseAddress
                        stream.avail_out = uInt(scratch.count)
                        result = deflate(&stream, flush)
                        output.append(contentsOf: scratch[..<(scratch.count - Int(stream.avail_out))])
                    } while stream.avail_out == 0
                    precondition(flush == Z_NO_FLUSH || result == Z_STREAM_END)
                } while left > 0
            }
        }
        return output
    }
}
