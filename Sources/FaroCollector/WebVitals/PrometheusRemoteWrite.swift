public import Snappy

/// The framing of a Prometheus remote-write 1.0 POST: the headers a sender must set and the
/// Snappy compression of the `prometheus.WriteRequest` body.
///
/// ```swift
/// var body = ContiguousArray<UInt8>()
/// PrometheusRemoteWrite.appendBody(compressing: request, to: &body, compressor: &compressor)
/// for (name, value) in PrometheusRemoteWrite.headers { httpRequest.headers.add(name: name, value: value) }
/// ```
public enum PrometheusRemoteWrite {
    /// The `Content-Encoding` of a body: `snappy` (the block format, not the framed stream).
    public static let contentEncoding = "snappy"
    /// The `Content-Type` of a body: `application/x-protobuf`.
    public static let contentType = "application/x-protobuf"
    /// The name of the protocol version header: `X-Prometheus-Remote-Write-Version`.
    public static let versionHeaderName = "X-Prometheus-Remote-Write-Version"
    /// The protocol version this body is: `0.1.0` (remote write 1.0).
    public static let version = "0.1.0"
    /// The `User-Agent` of the sender, its name and version: `swift-rum-FaroCollector/1`.
    public static let userAgent = "swift-rum-FaroCollector/1"

    /// The headers the specification requires with a body, in this order: `Content-Encoding`,
    /// `Content-Type`, `User-Agent`, `X-Prometheus-Remote-Write-Version`.
    public static let headers: [(name: String, value: String)] = [
        ("Content-Encoding", contentEncoding),
        ("Content-Type", contentType),
        ("User-Agent", userAgent),
        (versionHeaderName, version),
    ]

    /// Appends `request` (an uncompressed `WriteRequest`) compressed with Snappy to `body`.
    public static func appendBody(
        compressing request: ContiguousArray<UInt8>, to body: inout ContiguousArray<UInt8>,
        compressor: inout SnappyCompressor
    ) {
        compressor.compress(request, into: &body)
    }
}
