public import FaroModel
public import Logging
public import LokiPushCodec
public import OTLPCodec
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
    /// Rewrites exceptions' stack frames with source maps, when locations are configured.
    private let stackFrames: StackFrameResolver?

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
        if configuration.sourceMaps.locations.isEmpty {
            stackFrames = nil
        } else {
            do {
                let store = try LocalSourceMapStore(locations: configuration.sourceMaps.locations)
                stackFrames = StackFrameResolver(
                    store: CachingSourceMapStore(store, capacity: max(1, configuration.sourceMaps.cacheCapacity)))
            } catch {
                throw .invalid("sourcemaps: \(error)")
            }
        }
        self.configuration = configuration
        self.logs = logs
        self.otlp = otlp
        self.webVitals = webVitals
        self.metrics = metrics
        self.logger = logger
        var limits = configuration.decodingLimits
        limits.maxPayloadBytes = configuration.maxAllowedPayloadSize
        self.decoder = FaroPayloadDecoder(limits: limits)
    }

    /// Scratch memory for one thread's calls to `ingest`.
    public func makeScratch() -> IngestScratch {
        IngestScratch(
            owner: ObjectIdentifier(self),
            encoder: FaroLogLineEncoder(format: configuration.logFormat, extraLogLabels: configuration.extraLogLabels))
    }

    /// Takes the body of an admitted request, received at `receivedAt` (the Loki entries' time, as
    /// Alloy stamps them on receipt).
    public func ingest(
        _ body: ContiguousArray<UInt8>, admission: IntakeAdmission, receivedAt: LokiTimestamp, scratch: inout IngestScratch
    ) -> Result<IngestReceipt, IntakeRejection> {
        if scratch.owner != ObjectIdentifier(self) { scratch = makeScratch() }
        switch admission.format {
        case .faro: return ingestFaro(body, tenant: admission.tenant, receivedAt: receivedAt, scratch: &scratch)
        case .otlpProtobuf(let signal): return ingestOTLP(body, json: false, signal: signal, tenant: admission.tenant, scratch: &scratch)
        case .otlpJSON(let signal): return ingestOTLP(body, json: true, signal: signal, tenant: admission.tenant, scratch: &scratch)
        }
    }

    private func ingestFaro(
        _ body: ContiguousArray<UInt8>, tenant: CollectorTenant, receivedAt: LokiTimestamp, scratch: inout IngestScratch
    ) -> Result<IngestReceipt, IntakeRejection> {
        var payload: FaroPayload
        do {
            payload = try decoder.decode(body)
        } catch {
            return .failure(.badRequest(error.description))
        }
        let items = payload.logs.count + payload.exceptions.count + payload.measurements.count + payload.events.count
        if tenant.sessions.ratio < 1, !payload.meta.session.id.isEmpty,
            !tenant.sessions.shouldSample(sessionID: payload.meta.session.id)
        {
            metrics.sampledOut.increment()
            return .success(.faro(items: items, sampledOut: true))
        }
        if let stackFrames, !payload.exceptions.isEmpty { resolveStackFrames(of: &payload, with: stackFrames) }
        // Traces are transcoded first: a payload whose traces are not OTLP is refused whole.
        var hasTraces = false
        scratch.otlp.removeAll(keepingCapacity: true)
        if let traces = payload.traces, otlp != nil {
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
        webVitals?.observe(payload)
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
                    // Transcoding to JSON reads every field: a request it reads is valid protobuf.
                    try OTLPJSON.transcodeToJSON(bytes, signal: signal, into: &scratch.otlp)
                }
            }
        }
        if case .failure(let error) = checked { return .failure(.badRequest("\(error)")) }
        if let otlp {
            do {
                try otlp.accept(json ? scratch.otlp : body, signal: signal, tenant: tenant.name)
            } catch {
                if let refusal = refuse(error, exporter: "otlp", taken: false) { return .failure(refusal) }
            }
        }
        return .success(.otlp(json: json))
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
                    // The encoder writes label sets as Loki reads them; the only one Loki refuses is `{}`.
                    scratch.lastLabelsParsed = (try? LokiLabels(parsing: labels)) ?? defaultStreamLabels
                    lastStream = nil
                }
                let stream = lastStream ?? scratch.batch.stream(scratch.lastLabelsParsed ?? defaultStreamLabels)
                lastStream = stream
                // Lines are valid UTF-8 (the payload was) with a time in Loki's range, so this does not
                // fail; if it ever did, the line is counted and logged rather than lost silently.
                do {
                    try scratch.batch.append(
                        timestamp: receivedAt, line: UnsafeRawBufferPointer(rebasing: buffer[line.line]), to: stream)
                } catch {
                    metrics.exporterError("logs")
                    logger.error("log line not written", metadata: ["kind": "\(line.kind)", "err": "\(error)"])
                }
            }
        }
        return scratch.batch
    }
}
