import FaroModel
import LokiPushCodec

/// The memory one thread reuses to ingest payloads: the line encoder, its buffers and the Loki
/// batch. Made by `FaroIngestor.makeScratch()`; keep one per connection or event loop.
public struct IngestScratch: Sendable {
    var encoder: FaroLogLineEncoder
    var lineBuffer = ContiguousArray<UInt8>()
    var lines: [FaroLogLine] = []
    var otlp = ContiguousArray<UInt8>()
    /// The labels of the last line's stream, to find its stream without parsing the same labels again.
    var lastLabels = ContiguousArray<UInt8>()
    var lastLabelsParsed: LokiLabels? = nil

    init(encoder: FaroLogLineEncoder) {
        self.encoder = encoder
    }
}
