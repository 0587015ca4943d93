public import LokiPush
public import LokiPushCodec

/// Where the collector's Loki lines go: a Loki push client, a file, or a test's recorder.
///
/// `accept` is called on the thread that serves the request (an event loop), so it must not
/// block: it queues the batch, or throws `full` at once.
public protocol LogLineSink: Sendable {
    /// Takes the lines of one payload, as a batch of streams, for `tenant` (`nil`: the default tenant).
    func accept(_ batch: LokiBatch, tenant: String?) throws(CollectorExportError)
}

extension LokiPushClient: LogLineSink {
    /// Queues the batch with `tryPush`; a full buffer is `full`.
    public func accept(_ batch: LokiBatch, tenant: String?) throws(CollectorExportError) {
        do {
            try tryPush(batch, tenant: tenant)
        } catch .shutDown {
            throw .closed
        } catch .bufferFull, .spoolFull {
            throw .full
        } catch {
            throw .invalid(error.description)
        }
    }
}
