public import IntakePolicy

/// What `FaroIngestor.ingest` made of a body.
public enum IngestOutcome: Sendable {
    /// Taken (the answer to send) or refused.
    case finished(Result<IngestReceipt, IntakeRejection>)
    /// Not ingested yet: its exceptions name scripts whose source maps are to be downloaded.
    /// Run `fetch()` off the event loop, then ingest the same body again with
    /// `fetchingSourceMaps: false`, which resolves the frames with what the download left.
    case needsSourceMaps(PendingSourceMaps)
}
