import GzipCompression
import Snappy

/// Writes the bodies of Loki push requests from a `LokiBatch`: the protobuf `PushRequest`
/// (`pkg/push/push.proto`) bare or Snappy-compressed, and the JSON format, bare or gzipped.
///
/// Keep one encoder per thread of work and encode into a reused buffer: it holds a scratch
/// buffer (for the protobuf body, at most two 64 KiB Snappy fragments of the request, whatever
/// the lines' lengths) and the Snappy compressor's hash table, so that once they have grown,
/// `encodePushRequest` and `encodeProtobufBody` allocate nothing.
///
/// ```swift
/// var encoder = LokiPushEncoder()
/// var body = ContiguousArray<UInt8>()
/// encoder.encodeProtobufBody(batch, into: &body)   // Content-Type: application/x-protobuf
/// ```
///
/// Streams are written in the order the batch first saw them, entries in append order; a
/// stream without entries is left out.
public struct LokiPushEncoder: Sendable {
    /// The unfinished Snappy fragment of the request being written, or the JSON before gzip.
    var scratch = ContiguousArray<UInt8>()
    /// The size of each stream's message body, computed before it is written.
    var streamSizes = ContiguousArray<Int>()
    /// The Snappy compressor and its hash table.
    var compressor = SnappyCompressor()

    /// An encoder; its buffers grow on first use.
    public init() {}

    /// Appends the JSON body of `batch` to `output`, gzipped (RFC 1952, through the system's
    /// zlib) when `gzip` is set: the body for `Content-Type: application/json`, with
    /// `Content-Encoding: gzip` when gzipped.
    public mutating func encodeJSONBody(_ batch: LokiBatch, gzip: Bool, into output: inout ContiguousArray<UInt8>) {
        guard gzip else {
            LokiPushJSON.append(batch, to: &output)
            return
        }
        scratch.removeAll(keepingCapacity: true)
        LokiPushJSON.append(batch, to: &scratch)
        scratch.withUnsafeBytes { Gzip.compress($0, into: &output) }
    }
}
