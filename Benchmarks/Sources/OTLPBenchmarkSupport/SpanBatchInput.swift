public import OTLPCodec
import BenchmarkReporting
import SwiftProtobuf

/// A batch of browser spans in every form that OTLPCodec and swift-protobuf encode and decode,
/// checked once, before anything is timed, to be the same spans in both libraries.
public struct SpanBatchInput {
    /// The spans, as an exporter holds them; OTLPCodec's builder encodes them.
    public let batch: BrowserSpanBatch
    /// The batch as OTLPCodec's values.
    public let tracesData: OTLPTracesData
    /// The batch as swift-protobuf's messages.
    public let exportRequest: PeerExportRequest
    /// The `ExportTraceServiceRequest` that OTLPCodec's builder writes, which both libraries decode.
    public let protobuf: [UInt8]
    /// The request that swift-protobuf writes.
    public let peerProtobuf: [UInt8]
    /// The batch's OTLP/JSON, as OTLPCodec's `encodeJSON(into:)` writes it.
    public let json: [UInt8]

    /// Prepares `batch` and checks that each library reads what the other writes as the same
    /// spans, that the builder and the value API write the same bytes, and that the batch's
    /// OTLP/JSON reads back as the same spans.
    public init(batch: BrowserSpanBatch = BrowserSpanBatch()) throws {
        self.batch = batch
        tracesData = batch.tracesData
        exportRequest = batch.exportRequest

        var built = ContiguousArray<UInt8>()
        batch.appendProtobuf(to: &built)
        protobuf = Array(built)
        var encoded = ContiguousArray<UInt8>()
        tracesData.encodeProtobuf(into: &encoded)
        guard encoded == built else {
            throw InputError("the builder wrote \(built.count) bytes, encodeProtobuf \(encoded.count) other bytes")
        }
        peerProtobuf = try exportRequest.serializedBytes()

        let readByPeer = try PeerExportRequest(serializedBytes: protobuf)
        guard readByPeer == exportRequest else {
            throw InputError("swift-protobuf reads OTLPCodec's request as other spans")
        }
        let read = try peerProtobuf.withUnsafeBytes { try OTLPTracesData(protobuf: $0) }
        guard read == tracesData else {
            throw InputError("OTLPCodec reads swift-protobuf's request as other spans")
        }
        let spanCount = read.resourceSpans.map { $0.scopeSpans.map(\.spans.count).reduce(0, +) }.reduce(0, +)
        guard spanCount == batch.spans.count else {
            throw InputError("OTLPCodec reads \(spanCount) spans, not \(batch.spans.count)")
        }

        var json = ContiguousArray<UInt8>()
        tracesData.encodeJSON(into: &json)
        self.json = Array(json)
        var transcoded = ContiguousArray<UInt8>()
        try json.withUnsafeBytes { try OTLPJSON.transcodeToProtobuf($0, signal: .traces, into: &transcoded) }
        let readFromJSON = try transcoded.withUnsafeBytes { try OTLPTracesData(protobuf: $0) }
        guard readFromJSON == tracesData else {
            throw InputError("OTLP/JSON of the batch transcodes to other spans")
        }
    }

    /// How many spans the batch holds.
    public var spanCount: Int { batch.spans.count }
}
