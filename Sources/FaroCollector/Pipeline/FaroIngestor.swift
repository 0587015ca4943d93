import FaroModel
import IntakePolicy
public import Logging
public import LokiPushCodec
import OTLPCodec
import SourceMaps

/// What the collector does with a body it has read: decode it, sample its session, and hand its
/// parts to the sinks (Loki lines, OTLP), counting what it took.
///
/// Sinks queue without blocking. When the first sink a payload goes to refuses it as full, the
/// request is refused with 503 and `Retry-After`, so that the client sends it again and nothing is
/// lost; once a part of a payload is taken, a refusal of a later part is logged and counted
/// (`faro_receiver_exporter_errors_total`) and the payload is answered as taken, as Alloy answers,
/// so that the taken part is not sent twice.
public final class FaroIngestor: Sendable {
    /// The configuration.
    public let configuration: CollectorConfiguration
    private let logs: (any LogLineSink)?
    private let otlp: (any OTLPSink)?
    private let webVitals: WebVitalsHistograms?
    private let metrics: CollectorMetrics
    private let logger: Logger
    private let decoder: FaroPayloadDecoder
    /// The labels of lines whose label set is empty.
    private let defaultStreamLabels: LokiLabels
    /// Rewrites exceptions' stack frames with source maps, when locations or downloads are configured.
    private let stackFrames: StackFrameResolver?
    /// The local maps, asked before a download is started, when locations are configured.
    private let localSourceMaps: CachingSourceMapStore?
    /// The downloaded maps, when downloading is on.
    private let remoteSourceMaps: RemoteSourceMapStore?

    /// An ingestor writing lines to `logs`, OTLP data to `otlp` and web vitals into `webVitals`
    /// (each may be nil: that output is not written).
    public init(
        configuration: CollectorConfiguration, logs: (any LogLineSink)?, otlp: (any OTLPSink)?,
        webVitals: WebVitalsHistograms? = nil, metrics: CollectorMetrics, logger: Logger
    ) throws(CollectorConfigurationError) {
        do {
            defaultStreamLabels = try LokiLabels(configuration.defaultStreamLabels)
        } catch {
            throw .invalid("default_stream_labels: \(error)")
        }
        // A name Loki refuses would make every line's label set unreadable.
        if let name = configuration.extraLogLabels.keys.sorted().first(where: { !LabelName.isValid($0) }) {
            throw .invalid("extra_log_labels: label name \"\(name)\" must be \(LabelName.rule)")
        }
        let sourceMaps = configuration.sourceMaps
        let sourceMapObserver = SourceMapMetricsObserver(metrics: metrics)
        if sourceMaps.locations.isEmpty {
            localSourceMaps = nil
        } else {
            do {
                let store = try LocalSourceMapStore(locations: sourceMaps.locations, observer: sourceMapObserver)
                localSourceMaps = CachingSourceMapStore(
                    store, capacity: max(1, sourceMaps.cacheCapacity), negativeRetention: sourceMaps.errorCleanupInterval,
                    ttl: sourceMaps.cacheTTL, observer: sourceMapObserver)
            } catch {
                throw .invalid("sourcemaps: \(error)")
            }
        }
        if sourceMaps.download {
            let origins: DownloadOrigins
            do {
                origins = try DownloadOrigins(sourceMaps.downloadFromOrigins)
            } catch {
                throw .invalid("sourcemaps: download_from_origins: \(error)")
            }
            guard !origins.isEmpty else { throw .invalid("sourcemaps: download needs at least one origin in download_from_origins") }
            let downloader = SourceMapDownloader(
                fetcher: HTTPSourceMapFetcher(metrics: metrics), origins: origins, timeout: sourceMaps.downloadTimeout,
                maxBytes: sourceMaps.downloadMaxBytes)
            remoteSourceMaps = RemoteSourceMapStore(
                downloader: downloader, capacity: max(1, sourceMaps.cacheCapacity), failureRetention: sourceMaps.errorCleanupInterval,
                ttl: sourceMaps.cacheTTL, observer: sourceMapObserver)
        } else {
            remoteSourceMaps = nil
        }
        switch (localSourceMaps, remoteSourceMaps) {
        case (nil, nil): stackFrames = nil
        case (let local?, nil): stackFrames = StackFrameResolver(store: local)
        case (nil, let remote?): stackFrames = StackFrameResolver(store: remote)
        case (let local?, let remote?): stackFrames = StackFrameResolver(store: SourceMapStoreChain([local, remote]))
        }
        self.configuration = configuration
        self.logs = logs
        self.otlp = otlp
        self.webVitals = webVitals
        self.metrics = metrics
        self.logger = logger
        var limits = configuration.decodingLimits
        limits.maxPayloadBytes = configuration.maxAllowedPayloadSize
        self.decoder = FaroPayloadDecoder(limits: limits, invalidUTF8: configuration.invalidUTF8)
    }

    /// Scratch memory for one thread's calls to `ingest`.
    public func makeScratch() -> IngestScratch {
        IngestScratch(
            owner: ObjectIdentifier(self),
            encoder: FaroLogLineEncoder(format: configuration.logFormat, extraLogLabels: configuration.extraLogLabels))
    }

    /// Takes the body of an admitted request, received at `receivedAt` (the Loki entries' time, as
    /// Alloy stamps them on receipt).
    ///
    /// With `fetchingSourceMaps` (and downloads configured), a Faro payload whose exceptions name
    /// scripts whose maps are neither on disk nor downloaded (nor failed recently) is not taken but
    /// reported as `needsSourceMaps`; without it, frames are resolved with the maps at hand.
    public func ingest(
        _ body: ContiguousArray<UInt8>, admission: IntakeAdmission, receivedAt: LokiTimestamp, scratch: inout IngestScratch,
        fetchingSourceMaps: Bool = true
    ) -> IngestOutcome {
        if scratch.owner != ObjectIdentifier(self) { scratch = makeScratch() }
        switch admission.format {
        case .faro:
            return ingestFaro(
                body, tenant: admission.tenant, receivedAt: receivedAt, fetchingSourceMaps: fetchingSourceMaps, scratch: &scratch)
        case .otlpProtobuf(let signal):
            return .finished(ingestOTLP(body, json: false, signal: signal, tenant: admission.tenant, scratch: &scratch))
        case .otlpJSON(let signal):
            return .finished(ingestOTLP(body, json: true, signal: signal, tenant: admission.tenant, scratch: &scratch))
        }
    }

    private func ingestFaro(
        _ body: ContiguousArray<UInt8>, tenant: CollectorTenant, receivedAt: LokiTimestamp, fetchingSourceMaps: Bool,
        scratch: inout IngestScratch
    ) -> IngestOutcome {
        var payload: FaroPayload
        do {
            payload = try decoder.decode(body, memory: &scratch.decoderMemory)
        } catch {
            return .finished(.failure(.badRequest(error.description)))
        }
        let items = payload.logs.count + payload.exceptions.count + payload.measurements.count + payload.events.count
        if tenant.sessions.ratio < 1, !payload.meta.session.id.isEmpty,
            !tenant.sessions.shouldSample(sessionID: payload.meta.session.id)
        {
            metrics.sampledOut.increment()
            return .finished(.success(.faro(items: items, sampledOut: true)))
        }
        if let stackFrames, !payload.exceptions.isEmpty {
            if fetchingSourceMaps, let remoteSourceMaps, let pending = pendingSourceMaps(of: payload, in: remoteSourceMaps) {
                return .needsSourceMaps(pending)
            }
            resolveStackFrames(of: &payload, with: stackFrames)
        }
        return .finished(export(payload, items: items, tenant: tenant, receivedAt: receivedAt, scratch: &scratch))
    }

    /// Hands a decoded payload's parts to the sinks and counts them.
    private func export(
        _ payload: FaroPayload, items: Int, tenant: CollectorTenant, receivedAt: LokiTimestamp, scratch: inout IngestScratch
    ) -> Result<IngestReceipt, IntakeRejection> {
        // Traces are transcoded first, with or without an OTLP sink: a payload whose traces are not
        // OTLP is refused whole, as Alloy refuses a payload it cannot decode.
        var hasTraces = false
        scratch.otlp.removeAll(keepingCapacity: true)
        if let traces = payload.traces {
            let transcoded = traces.withUnsafeBytes { json in
                Result { () throws(OTLPDecodingError) in try OTLPJSON.transcodeToProtobuf(json, signal: .traces, into: &scratch.otlp) }
            }
            if case .failure(let error) = transcoded { return .failure(.badRequest("traces: \(error)")) }
            hasTraces = true
        }
        var taken = false
        if let logs, items > 0 {
            let batch = lokiBatch(of: payload, receivedAt: receivedAt, scratch: &scratch)
            do {
                try logs.accept(batch, tenant: tenant.name)
                taken = true
            } catch {
                if let refusal = refuse(error, exporter: "logs", taken: taken) { return .failure(refusal) }
            }
        }
        if hasTraces, let otlp {
            do {
                try otlp.accept(scratch.otlp, signal: .traces, tenant: tenant.name)
            } catch {
                if let refusal = refuse(error, exporter: "traces", taken: taken) { return .failure(refusal) }
            }
        }
        webVitals?.observe(payload, tenant: tenant.name)
        metrics.logs.increment(by: payload.logs.count)
        metrics.exceptions.increment(by: payload.exceptions.count)
        metrics.measurements.increment(by: payload.measurements.count)
        metrics.events.increment(by: payload.events.count)
        return .success(.faro(items: items, sampledOut: false))
    }

    private func ingestOTLP(
        _ body: ContiguousArray<UInt8>, json: Bool, signal: OTLPSignal, tenant: CollectorTenant, scratch: inout IngestScratch
    ) -> Result<IngestReceipt, IntakeRejection> {
        scratch.otlp.removeAll(keepingCapacity: true)
        let checked = body.withUnsafeBytes { bytes in
            Result { () throws(OTLPDecodingError) in
                if json {
                    try OTLPJSON.transcodeToProtobuf(bytes, signal: signal, into: &scratch.otlp)
                } else {
                    // Read field by field as transcoding to OTLP/JSON reads it, writing nothing.
                    try OTLPProtobuf.validate(bytes, signal: signal)
                }
            }
        }
        if case .failure(let error) = checked { return .failure(.badRequest("\(error)")) }
        let request = json ? scratch.otlp : body
        // An empty export request (no resources) is answered, with nothing to send on.
        if let otlp, !request.isEmpty {
            do {
                try otlp.accept(request, signal: signal, tenant: tenant.name)
            } catch {
                if let refusal = refuse(error, exporter: "otlp", taken: false) { return .failure(refusal) }
            }
        }
        return .success(.otlp(json: json))
    }

    /// Drops the cached source maps unused for `sourcemaps.cacheTTL` and the failures older than
    /// `errorCleanupInterval`, local and downloaded; the owner calls it every
    /// `cleanupCheckInterval`, as Alloy sweeps its cache.
    public func evictExpiredSourceMaps() {
        localSourceMaps?.evictExpired()
        remoteSourceMaps?.evictExpired()
    }

    /// The most scripts one payload has downloaded: more frames of other scripts stay as sent
    /// (and are tried with the next payload that names them).
    static let maximumDownloadsPerPayload = 8

    /// The scripts of the payload's frames whose maps are to be downloaded first: not on disk,
    /// not downloaded or failed recently, of an allowed origin; `nil` when there are none.
    private func pendingSourceMaps(of payload: FaroPayload, in remote: RemoteSourceMapStore) -> PendingSourceMaps? {
        let release = payload.meta.app.release
        var scripts: [String] = []
        for exception in payload.exceptions {
            for frame in exception.stacktrace?.frames ?? [] where !scripts.contains(frame.filename) {
                guard remote.needsDownload(frame.filename), !hasLocalSourceMap(frame.filename, release: release) else { continue }
                scripts.append(frame.filename)
                if scripts.count == Self.maximumDownloadsPerPayload { return PendingSourceMaps(store: remote, scriptURLs: scripts, logger: logger) }
            }
        }
        return scripts.isEmpty ? nil : PendingSourceMaps(store: remote, scriptURLs: scripts, logger: logger)
    }

    /// Whether the local store answers for the script: with a map, or with a failure (which Alloy
    /// does not download past).
    private func hasLocalSourceMap(_ scriptURL: String, release: String) -> Bool {
        guard let localSourceMaps else { return false }
        let local = Result { () throws(SourceMapStoreError) in try localSourceMaps.sourceMap(forScript: scriptURL, release: release) }
        if case .success(nil) = local { return false }
        return true
    }

    /// Rewrites the payload's exceptions' frames with their source maps; a map that cannot be read
    /// leaves its frames as they were, and is logged (as Alloy logs it).
    private func resolveStackFrames(of payload: inout FaroPayload, with resolver: StackFrameResolver) {
        let release = payload.meta.app.release
        for index in payload.exceptions.indices {
            payload.exceptions[index] = resolver.resolve(payload.exceptions[index], release: release) { error in
                logger.error("failed to load source map", metadata: ["err": "\(error)"])
            }
        }
    }

    /// Logs and counts a sink's refusal; returns the rejection to answer with when nothing of the
    /// payload was taken yet, so that the client sends it again.
    private func refuse(_ error: CollectorExportError, exporter: String, taken: Bool) -> IntakeRejection? {
        metrics.exporterError(exporter)
        logger.error("exporter failed with error", metadata: ["exporter": "\(exporter)", "err": "\(error)"])
        guard !taken else { return nil }
        return .unavailable("\(exporter) exporter: \(error)")
    }

    /// The Loki batch of the payload's lines, one stream per label set.
    private func lokiBatch(of payload: FaroPayload, receivedAt: LokiTimestamp, scratch: inout IngestScratch) -> LokiBatch {
        scratch.lineBuffer.removeAll(keepingCapacity: true)
        scratch.lines.removeAll(keepingCapacity: true)
        scratch.encoder.encode(payload, into: &scratch.lineBuffer, lines: &scratch.lines)
        // The batch's memory is reused from payload to payload: the sink copies what it takes.
        scratch.batch.removeAll(keepingCapacity: true)
        var lastStream: LokiBatch.StreamIndex? = nil
        scratch.lineBuffer.withUnsafeBytes { buffer in
            for line in scratch.lines {
                let labels = UnsafeRawBufferPointer(rebasing: buffer[line.labels])
                if scratch.lastLabelsParsed == nil || !scratch.lastLabels.elementsEqual(labels) {
                    scratch.lastLabels.removeAll(keepingCapacity: true)
                    scratch.lastLabels.append(contentsOf: labels)
                    // The encoder writes label sets as Loki reads them, with names checked when the
                    // ingestor was made: the only one expected to be refused is `{}`, whose lines
                    // take the default labels. Any other refusal is counted and logged, not silent.
                    do {
                        scratch.lastLabelsParsed = try LokiLabels(parsing: labels)
                    } catch LokiLabelError.noLabels {
                        scratch.lastLabelsParsed = defaultStreamLabels
                    } catch {
                        metrics.exporterError("logs")
                        logger.error(
                            "stream labels refused; the line goes to the default stream",
                            metadata: ["labels": "\(String(decoding: labels, as: UTF8.self))", "err": "\(error)"])
                        scratch.lastLabelsParsed = defaultStreamLabels
                    }
                    lastStream = nil
                }
                let stream = lastStream ?? scratch.batch.stream(scratch.lastLabelsParsed ?? defaultStreamLabels)
                lastStream = stream
                // Lines are valid UTF-8 (the encoder writes them from the decoded payload's text, which
                // is), so they are not checked again; their time is in Loki's range, so this does not
                // fail. If it ever did, the line is counted and logged rather than lost silently.
                do {
                    try scratch.batch.append(
                        timestamp: receivedAt, validUTF8Line: UnsafeRawBufferPointer(rebasing: buffer[line.line]), to: stream)
                } catch {
                    metrics.exporterError("logs")
                    logger.error("log line not written", metadata: ["kind": "\(line.kind)", "err": "\(error)"])
                }
            }
        }
        return scratch.batch
    }
}
