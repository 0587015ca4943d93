import Dispatch
import Logging
import OTel
import ServiceLifecycle
import Synchronization
import Tracing

/// swift-otel's tracing backend while it runs: the workload on its tracer, and its service group.
private struct RunningBackend: Sendable {
    /// Makes that many spans of the workload on the backend's tracer.
    let makeSpans: @Sendable (Int) -> Void
    /// The group that runs the backend's service (its exporter, batch span processor and tracer).
    let group: ServiceGroup
    /// The task that runs `group`.
    let task: Task<Void, any Error>
}

/// The backend that `swift_otel_peer_start` started, until `swift_otel_peer_stop`.
private let running = Mutex<RunningBackend?>(nil)

/// Starts swift-otel's tracing backend, configured for OTLP/HTTP with protobuf encoding to
/// `endpoint` (the whole URL, such as `http://127.0.0.1:4318/v1/traces`), sampling every span, with
/// the default batch span processor (queue of 2,048, batches of 512) but for its schedule delay,
/// `scheduleDelayMilliseconds`; metrics and logs are off. Returns 0, or -1 if the backend could not
/// be made or one already runs.
@_cdecl("swift_otel_peer_start")
public func start(_ endpoint: UnsafePointer<CChar>, _ scheduleDelayMilliseconds: Int) -> Int {
    var configuration = OTel.Configuration.default
    configuration.serviceName = "shop"
    configuration.resourceAttributes = ["service.version": "1.0.0", "deployment.environment.name": "production"]
    configuration.diagnosticLogLevel = .warning
    configuration.metrics.enabled = false
    configuration.logs.enabled = false
    configuration.traces.sampler = .alwaysOn
    configuration.traces.exporter = .otlp
    configuration.traces.otlpExporter.endpoint = String(cString: endpoint)
    configuration.traces.otlpExporter.protocol = .httpProtobuf
    configuration.traces.batchSpanProcessor.scheduleDelay = .milliseconds(scheduleDelayMilliseconds)
    guard let backend = try? OTel.makeTracingBackend(configuration: configuration) else { return -1 }
    let tracer = backend.factory
    var groupConfiguration = ServiceGroupConfiguration(
        services: [.init(service: backend.service)], logger: Logger(label: "swift-otel-peer", factory: { _ in SwiftLogNoOpLogHandler() }))
    groupConfiguration.maximumGracefulShutdownDuration = .seconds(20)
    groupConfiguration.maximumCancellationDuration = .seconds(5)
    let group = ServiceGroup(configuration: groupConfiguration)
    return running.withLock { running in
        guard running == nil else { return -1 }
        running = RunningBackend(
            makeSpans: { makeSpans($0, on: tracer) }, group: group, task: Task { try await group.run() })
        return 0
    }
}

/// Makes `count` spans of the workload on the running backend's tracer; returns how many (0 when
/// no backend runs).
@_cdecl("swift_otel_peer_make_spans")
public func makeSpans(_ count: Int) -> Int {
    guard let backend = running.withLock({ $0 }) else { return 0 }
    backend.makeSpans(count)
    return count
}

/// Shuts the running backend down gracefully (its processor exports what it holds) and returns
/// once it has stopped, within about 25 s. It blocks the calling thread: call it from one outside
/// Swift's concurrency pool, such as the main thread.
@_cdecl("swift_otel_peer_stop")
public func stop() {
    guard let backend = running.withLock({ running in
        defer { running = nil }
        return running
    }) else { return }
    let stopped = DispatchSemaphore(value: 0)
    Task {
        await backend.group.triggerGracefulShutdown()
        _ = try? await backend.task.value
        stopped.signal()
    }
    stopped.wait()
}

/// The benchmark's workload, `count` times: a server span started at the top level, 4 attributes
/// (OpenTelemetry's HTTP semantic conventions), ended; the same as rum-tracing-ratios' for
/// RUMTracing.
@inline(never)
func makeSpans<T: Tracer>(_ count: Int, on tracer: T) {
    for _ in 0..<count {
        let span = tracer.startSpan("GET /products/{id}", context: .topLevel, ofKind: .server)
        span.attributes["http.request.method"] = "GET"
        span.attributes["http.route"] = "/products/{id}"
        span.attributes["http.response.status_code"] = 200
        span.attributes["url.path"] = "/products/42"
        span.end()
    }
}
