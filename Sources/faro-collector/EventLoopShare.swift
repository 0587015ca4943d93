import FaroCollector
import ServerSupport
import NIOCore

/// What the connections of one event loop share: the ingest scratch (the loop ingests one
/// payload at a time, so one scratch serves all its connections, and its memory does not grow
/// with their number), the zlib streams of compressed bodies, and the batch of answers flushed
/// after each pass over the ready sockets.
///
/// Used only on its event loop.
final class EventLoopShare: @unchecked Sendable {
    /// The answers to flush after the current pass.
    let flushBatch: EventLoopFlushBatch
    /// The memory the loop's connections ingest with; made again for another ingestor after a reload.
    var scratch: IngestScratch
    /// The zlib streams the loop's connections inflate compressed bodies with.
    let inflaters = InflateStreamPool()

    /// The share of `eventLoop`, with scratch for `application`'s ingestor.
    init(eventLoop: any EventLoop, application: CollectorApplication) {
        flushBatch = EventLoopFlushBatch(eventLoop: eventLoop)
        scratch = application.ingestor.makeScratch()
    }

    /// One share per event loop of `group`, by the loop's identity.
    static func shares(of group: any EventLoopGroup, application: CollectorApplication) -> [ObjectIdentifier: EventLoopShare] {
        var shares: [ObjectIdentifier: EventLoopShare] = [:]
        for eventLoop in group.makeIterator() {
            shares[ObjectIdentifier(eventLoop)] = EventLoopShare(eventLoop: eventLoop, application: application)
        }
        return shares
    }
}
