import CZlib

/// gzip (RFC 1952) through the system's zlib: the `Content-Encoding: gzip` of push bodies (Loki's JSON, OTLP's).
package enum Gzip {
    /// Appends the gzip member of `input` to `output`, compressed at zlib's default level, in one
    /// call with room for zlib's bound reserved first.
    package static func compress(_ input: UnsafeRawBufferPointer, into output: inout ContiguousArray<UInt8>) {
        var stream = z_stream()
        // 15 bits of window, plus 16 for a gzip header and trailer instead of zlib's.
        let windowBits: Int32 = 15 + 16
        let status = deflateInit2_(
            &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib's deflateInit2 failed (\(status)): out of memory")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        output.append(addingCapacity: bound) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(input.count)
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(bound)
                let result = deflate(&stream, Z_FINISH)
                // With deflateBound's room, one call with Z_FINISH always completes the stream.
                precondition(result == Z_STREAM_END, "zlib's deflate did not finish within deflateBound (\(result))")
                initialized = bound - Int(stream.avail_out)
            }
        }
    }
}
