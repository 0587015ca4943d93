import FaroModel
import LokiPushCodec

/// The memory one thread reuses to ingest payloads: the decoder's recent strings, the line
/// encoder, its buffers and the Loki batch. Made by `FaroIngestor.makeScratch()`; keep one per
/// event loop (it grows to the size of the largest payload's lines and export, so one per
/// connection multiplies that by the connections). Given to another ingestor (after a
/// configuration reload), it is made again for that one.
public struct IngestScratch: Sendable {
    /// The ingestor it was made for.
    let owner: ObjectIdentifier
    /// Strings and member orders the decoder keeps from one payload to the next.
    var decoderMemory = FaroDecoderMemory()
    var encoder: FaroLogLineEncoder
    var lineBuffer = ContiguousArray<UInt8>()
    var lines: [FaroLogLine] = []
    var otlp = ContiguousArray<UInt8>()
    /// The labels of the last line's stream, to find its stream without parsing the same labels again.
    var lastLabels = ContiguousArray<UInt8>()
    var lastLabelsParsed: LokiLabels? = nil
    /// The Loki batch of the last payload, emptied for the next.
    var batch = LokiBatch()

    init(owner: ObjectIdentifier, encoder: FaroLogLineEncoder) {
        self.owner = owner
        self.encoder = encoder
    }
}
